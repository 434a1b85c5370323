data "eksrole_caller_identity" "current" {}

output "account_id" {
  value = data.eksrole_caller_identity.current.account_id
}
