# An access review that fails CI: the plan stops when someone holds
# cluster-admin on "prod" without eksrole managing it (apart from the
# principals listed here), or when an access entry is stale (its role was
# deleted or re-created, so the entry no longer grants anything and should
# be removed or re-applied). Needs Terraform >= 1.3 (postcondition, endswith)
# or OpenTofu >= 1.6.
locals {
  allowed_cluster_admins = [
    "arn:aws:iam::111122223333:role/platform-bootstrap",
  ]
}

data "eksrole_cluster_access" "prod" {
  cluster_name = "prod"

  lifecycle {
    postcondition {
      condition = length([
        for e in self.entries : e.principal_arn
        if e.managed_by == "" && !contains(local.allowed_cluster_admins, e.principal_arn) && anytrue([
          for p in e.access_policies : endswith(p.policy_arn, "/AmazonEKSClusterAdminPolicy")
        ])
      ]) == 0
      error_message = "Unmanaged cluster-admin access entries: ${join(", ", [
        for e in self.entries : e.principal_arn
        if e.managed_by == "" && !contains(local.allowed_cluster_admins, e.principal_arn) && anytrue([
          for p in e.access_policies : endswith(p.policy_arn, "/AmazonEKSClusterAdminPolicy")
        ])
      ])}. Manage them with eksrole_team_access or add them to allowed_cluster_admins."
    }
    postcondition {
      condition     = alltrue([for e in self.entries : !e.stale])
      error_message = "Stale access entries (their principal was deleted or re-created): ${join(", ", [for e in self.entries : e.principal_arn if e.stale])}."
    }
  }
}

# Who can reach the cluster, for a report or a dashboard.
output "prod_access" {
  value = {
    for e in data.eksrole_cluster_access.prod.entries : e.principal_arn => {
      type       = e.type
      policies   = [for p in e.access_policies : p.policy_arn]
      managed_by = e.managed_by
      stale      = e.stale
    }
  }
}
