# Pod Identity (the default): the payments API reads one S3 bucket.
resource "eksrole_workload_identity" "payments_api" {
  cluster_name    = "prod"
  namespace       = "payments"
  service_account = "api"

  inline_policies = {
    receipts = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "arn:aws:s3:::payments-receipts/*"
      }]
    })
  }
}

# IRSA: pods annotate their service account with the role ARN.
resource "eksrole_workload_identity" "uploader" {
  cluster_name    = "prod"
  namespace       = "uploads"
  service_account = "writer"
  mechanism       = "irsa"
  policy_arns     = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
}

# Two-role pattern: the pod's role chains into a role in another account.
resource "eksrole_workload_identity" "reporting" {
  cluster_name    = "prod"
  namespace       = "reporting"
  service_account = "exporter"
  target_role_arn = "arn:aws:iam::210987654321:role/reporting-writer"
}

# Session policy: a shared role narrowed for one tenant's pods (EKS accepts a
# session policy only with session tags disabled).
resource "eksrole_workload_identity" "tenant_a" {
  cluster_name         = "prod"
  namespace            = "tenant-a"
  service_account      = "worker"
  policy_arns          = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
  disable_session_tags = true
  session_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "arn:aws:s3:::shared-data/tenant-a/*"
    }]
  })
}

# Hand the target role's owners the trust policy it needs.
output "reporting_target_trust" {
  value = eksrole_workload_identity.reporting.target_role_trust_policy
}
