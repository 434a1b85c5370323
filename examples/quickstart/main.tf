# Quickstart: point the eksrole provider at an AWS account (here the local
# test bed) and read who it runs as.

terraform {
  required_providers {
    eksrole = {
      source = "registry.terraform.io/eksrole/eksrole"
    }
  }
}

variable "endpoint" {
  description = "AWS endpoint for IAM, STS and EKS (the local test bed). Leave null for real AWS."
  type        = string
  default     = "http://127.0.0.1:4566"
}

provider "eksrole" {
  region = "us-east-1"

  # The test bed accepts any key pair; against real AWS, drop these and use
  # your usual credential chain (profile, SSO, environment).
  access_key = "test"
  secret_key = "test"

  endpoints {
    iam = var.endpoint
    sts = var.endpoint
    eks = var.endpoint
  }
}

data "eksrole_caller_identity" "current" {}

output "account_id" {
  value = data.eksrole_caller_identity.current.account_id
}

output "caller_arn" {
  value = data.eksrole_caller_identity.current.arn
}

output "partition" {
  value = data.eksrole_caller_identity.current.partition
}
