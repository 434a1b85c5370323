# Identity Center developers get read-only access to their namespace.
#
# People sign in through IAM Identity Center with the "Developers" permission
# set; Identity Center has made a role for it in this account
# (AWSReservedSSO_Developers_<suffix> under /aws-reserved/sso.amazonaws.com/).
# No extra role to assume: that role gets its own EKS access entry, with
# read-only access (AmazonEKSViewPolicy) to the "dev" namespace. Plan finds
# the role by the permission set's name, so when the permission set is
# re-provisioned (new suffix), the next plan shows the entry moving to the
# new role and apply follows.

terraform {
  required_providers {
    eksrole = {
      source = "registry.terraform.io/eksrole/eksrole"
    }
  }
}

variable "cluster_name" {
  description = "An EKS cluster in API or API_AND_CONFIG_MAP authentication mode."
  type        = string
}

variable "permission_set" {
  description = "The IAM Identity Center permission set the developers sign in with."
  type        = string
  default     = "Developers"
}

provider "eksrole" {
  region = "eu-west-1"
}

resource "eksrole_team_access" "developers" {
  cluster_name        = var.cluster_name
  name                = "developers"
  create_role         = false
  sso_permission_sets = [var.permission_set]
  access_level        = "view"
  namespaces          = ["dev"]
}

# The permission set's role → its access entry.
output "access_entries" {
  value = eksrole_team_access.developers.access_entry_arns
}

# What a developer runs after `aws sso login`, with the permission set's profile.
output "kubeconfig_command" {
  value = eksrole_team_access.developers.kubeconfig_command
}
