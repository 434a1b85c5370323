# cluster/name (the role has the default name)
terraform import eksrole_team_access.developers prod/developers

# cluster/name/role_name when the role has a custom name
terraform import eksrole_team_access.platform prod/platform/platform-admins
