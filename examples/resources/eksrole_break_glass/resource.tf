# On-call engineers may take cluster admin during the incident window only,
# with MFA used in the last 15 minutes and their name as source identity.
resource "eksrole_break_glass" "incident" {
  cluster_name   = "prod"
  name           = "incident-4711"
  principal_arns = ["arn:aws:iam::123456789012:user/oncall/alice", "arn:aws:iam::123456789012:user/oncall/bob"]
  not_before     = "2027-03-23T08:00:00Z"
  not_after      = "2027-03-23T20:00:00Z"

  # Closing the glass at once: set to false and apply. The access entry and
  # its access policy associations are deleted (kubectl stops working); the
  # role and its trust policy stay as the audit trail. `true` opens it again.
  # enabled = false
}

output "break_glass_command" {
  value = eksrole_break_glass.incident.assume_role_command
}

# Alert on every use (with the AWS provider). AssumeRole is a read-only
# CloudTrail management event: EventBridge delivers it only to rules in state
# ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (an ENABLED rule never fires).
# Calls to the global STS endpoint (sts.amazonaws.com) are logged in
# us-east-1, calls to a regional endpoint in that Region: create the rule in
# us-east-1 and in every Region whose STS endpoint the on-call people use.
# resource "aws_cloudwatch_event_rule" "break_glass_used" {
#   provider      = aws.us_east_1
#   name          = "break-glass-used"
#   state         = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
#   event_pattern = eksrole_break_glass.incident.alert_event_pattern
# }
