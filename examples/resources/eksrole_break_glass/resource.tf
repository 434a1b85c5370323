# On-call engineers may take cluster admin during the incident window only,
# with MFA used in the last 15 minutes and their name as source identity.
resource "eksrole_break_glass" "incident" {
  cluster_name   = "prod"
  name           = "incident-4711"
  principal_arns = ["arn:aws:iam::123456789012:user/oncall/alice", "arn:aws:iam::123456789012:user/oncall/bob"]
  not_before     = "2027-03-23T08:00:00Z"
  not_after      = "2027-03-23T20:00:00Z"
}

output "break_glass_command" {
  value = eksrole_break_glass.incident.assume_role_command
}

# Alert on every use (with the AWS provider).
# resource "aws_cloudwatch_event_rule" "break_glass_used" {
#   name          = "break-glass-used"
#   event_pattern = eksrole_break_glass.incident.alert_event_pattern
# }
