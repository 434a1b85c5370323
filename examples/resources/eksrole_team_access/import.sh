# cluster/name (the role has the default name)
terraform import eksrole_team_access.developers prod/developers

# cluster/name/role_name when the role has a custom name
terraform import eksrole_team_access.platform prod/platform/platform-admins

# cluster/name/principal ARN[,principal ARN…] with create_role = false
terraform import eksrole_team_access.sso_developers 'prod/sso-developers/arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developers_0123456789abcdef'
