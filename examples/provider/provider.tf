provider "eksrole" {
  region  = "eu-west-1"
  profile = "platform"

  # Refuse to touch anything but the production account.
  allowed_account_ids = ["123456789012"]

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform-eksrole"
    session_name = "terraform"
    duration     = "1h"
  }

  default_tags {
    tags = {
      owner = "platform-team"
    }
  }
}
