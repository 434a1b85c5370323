//! Names and ARNs: Kubernetes namespaces and service accounts, EKS cluster
//! names, IAM role names and paths, inline policy names, and the IAM ARNs the
//! intents take or build (roles, users, managed policies, OIDC providers).
//! Also the deterministic, length-bounded default names (no randomness: the
//! same inputs give the same name on every plan).
//!
//! Every check returns `Err(sentence)` saying what is expected; callers attach
//! the attribute path. Limits come from `docs/design/aws-facts.md` ("Limits and formats").

use crate::arn::Arn;

/// IAM role names are at most this many characters.
pub const ROLE_NAME_MAX: usize = 64;

/// A Kubernetes namespace: a DNS-1123 label, 1-63 characters of `a-z`, `0-9`
/// and `-`, starting and ending with a letter or digit.
pub fn validate_namespace(s: &str) -> Result<(), String> {
    dns1123_label(s).map_err(|e| format!("{s:?} is not a valid Kubernetes namespace: {e}"))
}

/// A Kubernetes service account name: a DNS-1123 subdomain, at most 253
/// characters, DNS-1123 labels joined by `.`.
pub fn validate_service_account(s: &str) -> Result<(), String> {
    let fail = |e: String| format!("{s:?} is not a valid Kubernetes service account name: {e}");
    if s.is_empty() {
        return Err(fail("it is empty".into()));
    }
    if s.len() > 253 {
        return Err(fail(format!(
            "it has {} characters; the limit is 253",
            s.len()
        )));
    }
    for label in s.split('.') {
        dns1123_label(label).map_err(|e| fail(format!("in the part {label:?}: {e}")))?;
    }
    Ok(())
}

fn dns1123_label(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".into());
    }
    if s.len() > 63 {
        return Err(format!("it has {} characters; the limit is 63", s.len()));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "{c:?} is not allowed; use lowercase letters, digits and '-'"
        ));
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("it must start and end with a lowercase letter or digit".into());
    }
    Ok(())
}

/// An EKS cluster name: 1-100 characters, a letter or digit followed by
/// letters, digits, `-` and `_`.
pub fn validate_cluster_name(s: &str) -> Result<(), String> {
    let fail = |e: &str| format!("{s:?} is not a valid EKS cluster name: {e}");
    let n = s.chars().count();
    if n == 0 {
        return Err(fail("it is empty"));
    }
    if n > 100 {
        return Err(fail(&format!("it has {n} characters; the limit is 100")));
    }
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(fail("it must start with a letter or digit"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(fail(&format!(
            "{c:?} is not allowed; use letters, digits, '-' and '_'"
        )));
    }
    Ok(())
}

/// Characters IAM allows in role, user and policy names: `[\w+=,.@-]`.
pub fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// An IAM role name: 1-64 characters of letters, digits and `_+=,.@-`.
pub fn validate_role_name(s: &str) -> Result<(), String> {
    iam_name(s, "role name", ROLE_NAME_MAX)
}

/// An inline policy name: 1-128 characters of letters, digits and `_+=,.@-`.
pub fn validate_policy_name(s: &str) -> Result<(), String> {
    iam_name(s, "policy name", 128)
}

fn iam_name(s: &str, what: &str, max: usize) -> Result<(), String> {
    let n = s.chars().count();
    if n == 0 || n > max {
        return Err(format!(
            "{s:?} is not a valid IAM {what}: it must be 1-{max} characters and has {n}"
        ));
    }
    match s.chars().find(|c| !is_iam_name_char(*c)) {
        Some(c) => Err(format!(
            "{s:?} is not a valid IAM {what}: {c:?} is not allowed; use letters, digits and _ + = , . @ -"
        )),
        None => Ok(()),
    }
}

/// An IAM path: `/` alone, or `/` + printable ASCII + `/`, at most 512 characters.
pub fn validate_iam_path(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if n == 0 || n > 512 {
        return Err(format!(
            "{s:?} is not a valid IAM path: it must be 1-512 characters and has {n}"
        ));
    }
    if !(s.starts_with('/') && s.ends_with('/')) {
        return Err(format!(
            "{s:?} is not a valid IAM path: it must be \"/\" or start and end with \"/\", like \"/workloads/\""
        ));
    }
    match s.chars().find(|c| !('\u{21}'..='\u{7e}').contains(c)) {
        Some(c) => Err(format!(
            "{s:?} is not a valid IAM path: {c:?} is not allowed; use printable ASCII without spaces"
        )),
        None => Ok(()),
    }
}

/// A 12-digit AWS account ID.
pub fn validate_account_id(s: &str) -> Result<(), String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not an AWS account ID: expected exactly 12 digits"
        ))
    }
}

/// An AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, ...
pub fn validate_partition(s: &str) -> Result<(), String> {
    let ok = s == "aws"
        || s.strip_prefix("aws-").is_some_and(|rest| {
            rest.split('-')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not an AWS partition: expected \"aws\", \"aws-cn\", \"aws-us-gov\" and the like"
        ))
    }
}

/// An STS role session name: 2-64 characters of letters, digits and `_+=,.@-`.
pub fn validate_session_name(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if !(2..=64).contains(&n) {
        return Err(format!(
            "session names are 2-64 characters; this one has {n}"
        ));
    }
    match s.chars().find(|c| !is_iam_name_char(*c)) {
        Some(c) => Err(format!(
            "{c:?} is not allowed in a session name; use letters, digits and _ + = , . @ -"
        )),
        None => Ok(()),
    }
}

/// An STS external ID: 2-1224 characters of letters, digits and `_+=,.@:/-`.
/// The value is a secret, so the message never repeats it.
pub fn validate_external_id(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if !(2..=1224).contains(&n) {
        return Err(format!(
            "external IDs are 2-1224 characters; this one has {n}"
        ));
    }
    if s.chars()
        .all(|c| is_iam_name_char(c) || c == ':' || c == '/')
    {
        Ok(())
    } else {
        Err("the external ID may hold only letters, digits and _ + = , . @ : / -".to_owned())
    }
}

/// FNV-1a, 32 bits: a stable hash for default names (same input, same output,
/// on every machine and version).
pub fn fnv1a_32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in bytes {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// A name of at most `max` characters (`max` >= 10): `full` itself when it
/// fits, otherwise its first characters, `-` and 8 hex digits of the FNV-1a
/// hash of `parts` (the full tuple, joined with NUL so ("a-b","c") and
/// ("a","b-c") hash differently). Characters IAM does not allow are replaced
/// by `-` so the result is always a valid IAM name when `full` is non-empty.
pub fn bounded_name(full: &str, parts: &[&str], max: usize) -> String {
    let sanitized: String = full
        .chars()
        .map(|c| if is_iam_name_char(c) { c } else { '-' })
        .collect();
    if sanitized.chars().count() <= max {
        return sanitized;
    }
    let hash = fnv1a_32(parts.join("\0").as_bytes());
    let keep = max.saturating_sub(9);
    let prefix: String = sanitized.chars().take(keep).collect();
    let prefix = prefix.trim_end_matches(['-', '.', '_']);
    format!("{prefix}-{hash:08x}")
}

/// The role ARN built from its parts: `arn:<p>:iam::<acct>:role<path><name>`.
pub fn role_arn(partition: &str, account_id: &str, path: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:role{path}{name}")
}

/// An IAM role or user ARN, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamEntityArn {
    pub partition: String,
    pub account_id: String,
    /// `/` or `/…/`
    pub path: String,
    pub name: String,
}

/// An IAM role ARN: `arn:<p>:iam::<12 digits>:role[/path/]/<name>`.
pub fn parse_role_arn(s: &str) -> Result<IamEntityArn, String> {
    parse_entity_arn(s, "role", validate_role_name)
}

/// An IAM user ARN: `arn:<p>:iam::<12 digits>:user[/path/]/<name>`.
pub fn parse_user_arn(s: &str) -> Result<IamEntityArn, String> {
    parse_entity_arn(s, "user", |n| iam_name(n, "user name", 64))
}

fn parse_entity_arn(
    s: &str,
    kind: &str,
    check_name: impl Fn(&str) -> Result<(), String>,
) -> Result<IamEntityArn, String> {
    let expected = format!("expected arn:aws:iam::123456789012:{kind}/NAME or …:{kind}/PATH/NAME");
    let arn = Arn::parse(s).ok_or_else(|| format!("{s:?} is not an IAM {kind} ARN: {expected}"))?;
    let rest = arn
        .resource
        .strip_prefix(kind)
        .filter(|r| r.starts_with('/'))
        .filter(|_| arn.service == "iam" && arn.region.is_empty());
    let Some(rest) = rest else {
        return Err(format!("{s:?} is not an IAM {kind} ARN: {expected}"));
    };
    validate_partition(arn.partition).map_err(|e| format!("{s:?}: {e}"))?;
    validate_account_id(arn.account).map_err(|e| format!("{s:?}: {e}"))?;
    let split = rest.rfind('/').unwrap_or(0);
    let (path, name) = rest.split_at(split + 1);
    validate_iam_path(path).map_err(|e| format!("{s:?}: {e}"))?;
    check_name(name).map_err(|e| format!("{s:?}: {e}"))?;
    Ok(IamEntityArn {
        partition: arn.partition.to_owned(),
        account_id: arn.account.to_owned(),
        path: path.to_owned(),
        name: name.to_owned(),
    })
}

/// Who owns a managed policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyOwner {
    /// An AWS managed policy (`arn:<p>:iam::aws:policy/...`).
    Aws,
    /// A customer managed policy in this account.
    Account(String),
}

/// A managed policy ARN, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedPolicyArn {
    pub partition: String,
    pub owner: PolicyOwner,
    pub path: String,
    pub name: String,
}

/// A managed policy ARN: `arn:<p>:iam::(aws|<12 digits>):policy[/path/]/<name>`.
pub fn parse_managed_policy_arn(s: &str) -> Result<ManagedPolicyArn, String> {
    let expected = "expected arn:aws:iam::aws:policy/NAME (AWS managed) or arn:aws:iam::123456789012:policy/PATH/NAME (customer managed)";
    let arn =
        Arn::parse(s).ok_or_else(|| format!("{s:?} is not a managed policy ARN: {expected}"))?;
    let rest = arn
        .resource
        .strip_prefix("policy/")
        .filter(|_| arn.service == "iam" && arn.region.is_empty());
    let Some(rest) = rest else {
        return Err(format!("{s:?} is not a managed policy ARN: {expected}"));
    };
    validate_partition(arn.partition).map_err(|e| format!("{s:?}: {e}"))?;
    let owner = if arn.account == "aws" {
        PolicyOwner::Aws
    } else {
        validate_account_id(arn.account).map_err(|e| format!("{s:?}: {e}"))?;
        PolicyOwner::Account(arn.account.to_owned())
    };
    let rest = format!("/{rest}");
    let split = rest.rfind('/').unwrap_or(0);
    let (path, name) = rest.split_at(split + 1);
    validate_iam_path(path).map_err(|e| format!("{s:?}: {e}"))?;
    validate_policy_name(name).map_err(|e| format!("{s:?}: {e}"))?;
    Ok(ManagedPolicyArn {
        partition: arn.partition.to_owned(),
        owner,
        path: path.to_owned(),
        name: name.to_owned(),
    })
}

/// An IAM OIDC identity provider ARN, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProviderArn {
    pub partition: String,
    pub account_id: String,
    /// The issuer without `https://`, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC`:
    /// the prefix of the `:sub` and `:aud` condition keys.
    pub issuer_host_path: String,
}

/// An OIDC provider ARN: `arn:<p>:iam::<12 digits>:oidc-provider/<host[/path]>`.
pub fn parse_oidc_provider_arn(s: &str) -> Result<OidcProviderArn, String> {
    let expected =
        "expected arn:aws:iam::123456789012:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID";
    let arn =
        Arn::parse(s).ok_or_else(|| format!("{s:?} is not an OIDC provider ARN: {expected}"))?;
    let rest = arn
        .resource
        .strip_prefix("oidc-provider/")
        .filter(|_| arn.service == "iam" && arn.region.is_empty());
    let Some(host_path) = rest else {
        return Err(format!("{s:?} is not an OIDC provider ARN: {expected}"));
    };
    validate_partition(arn.partition).map_err(|e| format!("{s:?}: {e}"))?;
    validate_account_id(arn.account).map_err(|e| format!("{s:?}: {e}"))?;
    validate_issuer_host_path(host_path).map_err(|e| format!("{s:?}: {e}"))?;
    Ok(OidcProviderArn {
        partition: arn.partition.to_owned(),
        account_id: arn.account.to_owned(),
        issuer_host_path: host_path.to_owned(),
    })
}

/// An issuer without its scheme: a host name, optionally followed by `/path`.
pub fn validate_issuer_host_path(s: &str) -> Result<(), String> {
    let (host, path) = match s.find('/') {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !host_ok {
        return Err(format!("{host:?} is not a valid issuer host name"));
    }
    if path.ends_with('/') || path.contains("//") {
        return Err(format!("{s:?} has an empty path segment or a trailing '/'"));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/-._~".contains(*c)))
    {
        return Err(format!("{c:?} is not allowed in an issuer path"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
