# Quickstart: point the eksrole provider at an AWS account (here the local
# test bed), read who it runs as, and give one service account of a cluster
# an AWS identity through EKS Pod Identity.

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

variable "cluster_name" {
  description = "An EKS cluster in API or API_AND_CONFIG_MAP mode (scripts/demo creates one)."
  type        = string
  default     = "demo"
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

# The checkout service's pods may read one S3 bucket, and nothing else.
resource "eksrole_workload_identity" "checkout" {
  cluster_name    = var.cluster_name
  namespace       = "shop"
  service_account = "checkout"

  inline_policies = {
    catalog = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "arn:aws:s3:::shop-catalog/*"
      }]
    })
  }

  tags = {
    team = "shop"
  }
}

output "account_id" {
  value = data.eksrole_caller_identity.current.account_id
}

output "caller_arn" {
  value = data.eksrole_caller_identity.current.arn
}

output "partition" {
  value = data.eksrole_caller_identity.current.partition
}

output "checkout_role_arn" {
  value = eksrole_workload_identity.checkout.role_arn
}

output "checkout_association_id" {
  value = eksrole_workload_identity.checkout.association_id
}

output "checkout_trust_policy" {
  value = jsondecode(eksrole_workload_identity.checkout.trust_policy)
}
