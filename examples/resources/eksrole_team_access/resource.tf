# Developers: read-only in two namespaces, assumed from a partner account with an external ID.
resource "eksrole_team_access" "developers" {
  cluster_name   = "prod"
  name           = "developers"
  principal_arns = ["arn:aws:iam::210987654321:role/developers"]
  external_id    = var.developers_external_id
  access_level   = "view"
  namespaces     = ["dev", "staging"]
}

# A GitHub Actions pipeline deploying to one namespace, no stored keys.
resource "eksrole_team_access" "deployer" {
  cluster_name = "prod"
  name         = "deployer"
  access_level = "edit"
  namespaces   = ["apps"]

  ci_oidc {
    provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    subjects     = ["repo:acme/app:ref:refs/heads/main"]
  }
}

# Platform admins: cluster admin, MFA required (the default for people).
resource "eksrole_team_access" "platform" {
  cluster_name      = "prod"
  name              = "platform"
  principal_arns    = ["arn:aws:iam::123456789012:role/platform-engineers"]
  access_level      = "cluster_admin"
  kubernetes_groups = ["platform-admins"]
}

# IAM Identity Center developers: no role to assume, the permission set's own
# role gets an access entry with read-only access to their namespace.
resource "eksrole_team_access" "sso_developers" {
  cluster_name        = "prod"
  name                = "sso-developers"
  create_role         = false
  sso_permission_sets = ["Developers"]
  access_level        = "view"
  namespaces          = ["dev"]
}
