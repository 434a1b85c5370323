"""LocalStack extension that emulates the Amazon EKS API for terraform-provider-eksrole's tests."""
