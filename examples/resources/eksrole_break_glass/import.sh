# cluster/name (the role has the default name)
terraform import eksrole_break_glass.incident prod/incident-4711

# cluster/name/role_name when the role has a custom name
terraform import eksrole_break_glass.incident prod/incident-4711/breakglass-prod
