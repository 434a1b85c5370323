# Pod Identity, or IRSA with the default role name: cluster/namespace/service_account
terraform import eksrole_workload_identity.payments_api prod/payments/api

# IRSA with a custom role name: cluster/namespace/service_account/role_name
terraform import eksrole_workload_identity.uploader prod/uploads/writer/uploads-writer
