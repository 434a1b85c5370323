//! The target role of a Pod Identity association (role chaining): the trust
//! policy it must have for the pod role ([`target_role_trust_policy`], the
//! `target_role_trust_policy` attribute), and whether a trust policy read
//! from IAM could admit the pod role at all ([`trust_admits_role`], the
//! plan's warning on `target_role_arn`).

use serde_json::json;

use super::super::names::parse_role_arn;
use super::super::policy_json::{canonical_json_value, parse_policy, statements, string_values};
use super::{TARGET_TAG_SESSION_SID, TARGET_TRUST_SID};

/// What the trust policy of a Pod Identity target role must admit: the pod
/// role, the service account it serves, and whether EKS tags the sessions.
#[derive(Debug, Clone, Copy)]
pub struct TargetTrustFor<'a> {
    /// The ARN of the role this resource creates (the first role of the chain).
    pub pod_role_arn: &'a str,
    pub cluster_arn: &'a str,
    pub namespace: &'a str,
    pub service_account: &'a str,
    pub disable_session_tags: bool,
    /// The association's `externalId` from EKS.
    pub external_id: Option<&'a str>,
}

/// The trust policy a target role needs for this pod role (canonical
/// minified JSON), as the EKS user guide shapes it ("Access AWS resources
/// using EKS Pod Identity target IAM roles"): the pod role's account as
/// principal, narrowed to the pod role by `aws:PrincipalArn` (a role ARN as
/// principal would be pinned to the role's unique ID and break when the role
/// is replaced). With session tags the chained call carries them: the
/// statement allows `sts:AssumeRole` + `sts:TagSession` for the cluster ARN,
/// namespace and service account tags. Without them EKS sets `sts:ExternalId`
/// to the association's external ID instead: `sts:AssumeRole` requires it,
/// and `sts:TagSession` is allowed for the pod role alone. `None` when the
/// shape needs the external ID and it is not known yet (before the
/// association exists).
pub fn target_role_trust_policy(t: &TargetTrustFor<'_>) -> Option<String> {
    let account = parse_role_arn(t.pod_role_arn).ok()?;
    let principal =
        json!({"AWS": format!("arn:{}:iam::{}:root", account.partition, account.account_id)});
    let statements = if t.disable_session_tags {
        let external_id = t.external_id?;
        json!([
            {
                "Sid": TARGET_TRUST_SID,
                "Effect": "Allow",
                "Principal": principal,
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": t.pod_role_arn},
                    "StringEquals": {"sts:ExternalId": external_id},
                },
            },
            {
                "Sid": TARGET_TAG_SESSION_SID,
                "Effect": "Allow",
                "Principal": principal,
                "Action": "sts:TagSession",
                "Condition": {"ArnEquals": {"aws:PrincipalArn": t.pod_role_arn}},
            },
        ])
    } else {
        json!([{
            "Sid": TARGET_TRUST_SID,
            "Effect": "Allow",
            "Principal": principal,
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "ArnEquals": {"aws:PrincipalArn": t.pod_role_arn},
                "StringEquals": {
                    "aws:RequestTag/eks-cluster-arn": t.cluster_arn,
                    "aws:RequestTag/kubernetes-namespace": t.namespace,
                    "aws:RequestTag/kubernetes-service-account": t.service_account,
                },
            },
        }])
    };
    Some(canonical_json_value(&json!({
        "Version": "2012-10-17",
        "Statement": statements,
    })))
}

/// Whether a role's trust policy has an `Allow` statement for
/// `sts:AssumeRole` whose principal could be `role_arn`: the role itself,
/// its account (`arn:...:root` or the bare account ID) or `*`. Conditions
/// are not evaluated (they may still refuse it); `false` means no statement
/// can ever admit the role, or the document does not parse.
pub fn trust_admits_role(trust: &str, role_arn: &str) -> bool {
    let Ok(role) = parse_role_arn(role_arn) else {
        return false;
    };
    let Ok(doc) = parse_policy(trust) else {
        return false;
    };
    let root = format!("arn:{}:iam::{}:root", role.partition, role.account_id);
    let principal_ok = |p: &str| {
        p == "*"
            || p == role.account_id
            || p.eq_ignore_ascii_case(&root)
            || p.eq_ignore_ascii_case(role_arn)
    };
    let action_ok = |a: &str| {
        let a = a.to_ascii_lowercase();
        a == "*" || a == "sts:*" || a == "sts:assumerole"
    };
    statements(&doc).into_iter().any(|st| {
        let allows = st.get("Effect").and_then(|e| e.as_str()) == Some("Allow");
        let actions = st.get("Action").map(string_values).unwrap_or_default();
        let principals = match st.get("Principal") {
            Some(serde_json::Value::String(s)) => vec![s.as_str()],
            Some(serde_json::Value::Object(m)) => {
                m.get("AWS").map(string_values).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        allows && actions.into_iter().any(action_ok) && principals.into_iter().any(principal_ok)
    })
}
