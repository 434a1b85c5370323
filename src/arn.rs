//! Amazon Resource Names and the percent-encoding IAM wraps its policy
//! documents in: the one place that splits ARNs into their fields, reads the
//! kind, path and name of an IAM principal ARN, and decodes `%XX` escapes.
//!
//! A leaf module: pure, no I/O, and no dependency on any other module of the
//! crate, so the intents, the plan-time checks and the AWS edge can all use it.
//! It splits text; it does not judge whether a name or an account ID is
//! acceptable (the intents' name rules do that, with their own messages).

/// The six fields of `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
/// The resource keeps any further `:` (e.g. `function:name:alias`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    /// Empty for global services such as IAM.
    pub region: &'a str,
    /// Empty for some services; `aws` for AWS-owned objects (managed policies).
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN; `None` unless it starts with `arn:`, has all six fields,
    /// and partition, service and resource are non-empty.
    pub fn parse(s: &'a str) -> Option<Arn<'a>> {
        let fields: Vec<&str> = s.splitn(6, ':').collect();
        match fields.as_slice() {
            ["arn", partition, service, region, account, resource]
                if !partition.is_empty() && !service.is_empty() && !resource.is_empty() =>
            {
                Some(Arn {
                    partition,
                    service,
                    region,
                    account,
                    resource,
                })
            }
            _ => None,
        }
    }
}

/// The partition field of an ARN (`aws`, `aws-cn`, `aws-us-gov`, …).
pub fn partition_of(arn: &str) -> Option<&str> {
    Arn::parse(arn).map(|a| a.partition)
}

/// What an IAM or STS principal ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `arn:<p>:iam::<acct>:root`: the whole account.
    Root,
    /// `arn:<p>:iam::<acct>:role[/path/]/<name>`
    Role,
    /// `arn:<p>:iam::<acct>:user[/path/]/<name>`
    User,
    /// `arn:<p>:sts::<acct>:assumed-role/<role name>/<session>`: one session of a role.
    AssumedRole,
    /// `arn:<p>:sts::<acct>:federated-user/<name>`
    FederatedUser,
}

/// An IAM or STS principal ARN, split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal<'a> {
    pub partition: &'a str,
    /// Digits only (not checked for length: that is a name rule).
    pub account: &'a str,
    pub kind: PrincipalKind,
    /// `/` or `/a/b/` for roles and users; `/` for the other kinds.
    pub path: &'a str,
    /// The role or user name; the role name of an assumed role; empty for root.
    pub name: &'a str,
    /// The session name of an assumed role.
    pub session: Option<&'a str>,
}

impl Principal<'_> {
    /// A role or a user: what an IAM `GetRole`/`GetUser` can look up.
    pub fn is_role_or_user(&self) -> bool {
        matches!(self.kind, PrincipalKind::Role | PrincipalKind::User)
    }
}

/// Splits a principal ARN; `None` for anything else (other services or
/// resources, a region, a non-numeric account, an empty name, a path with an
/// empty segment).
pub fn parse_principal(s: &str) -> Option<Principal<'_>> {
    let arn = Arn::parse(s)?;
    if !arn.region.is_empty()
        || arn.account.is_empty()
        || !arn.account.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let principal = |kind, path, name, session| Principal {
        partition: arn.partition,
        account: arn.account,
        kind,
        path,
        name,
        session,
    };
    match arn.service {
        "iam" if arn.resource == "root" => Some(principal(PrincipalKind::Root, "/", "", None)),
        "iam" => {
            let (kind, rest) = if let Some(rest) = arn.resource.strip_prefix("role") {
                (PrincipalKind::Role, rest)
            } else {
                (PrincipalKind::User, arn.resource.strip_prefix("user")?)
            };
            // `rest` is `/NAME` or `/PATH/NAME`: the path keeps both slashes.
            if !rest.starts_with('/') {
                return None;
            }
            let split = rest.rfind('/')? + 1;
            let (path, name) = rest.split_at(split);
            if name.is_empty() || path.contains("//") {
                return None;
            }
            Some(principal(kind, path, name, None))
        }
        "sts" => {
            let (kind, rest) = arn.resource.split_once('/')?;
            match kind {
                "assumed-role" => {
                    let (role, session) = rest.split_once('/')?;
                    (!role.is_empty() && !session.is_empty())
                        .then(|| principal(PrincipalKind::AssumedRole, "/", role, Some(session)))
                }
                "federated-user" if !rest.is_empty() && !rest.contains('/') => {
                    Some(principal(PrincipalKind::FederatedUser, "/", rest, None))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Decodes RFC 3986 percent-encoding strictly: `+` stays `+`; `None` when an
/// escape is malformed or the decoded bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    String::from_utf8(decode_bytes(text, true)?).ok()
}

/// Decodes RFC 3986 percent-encoding leniently: malformed escapes are kept
/// as written and bytes that are not UTF-8 become U+FFFD, so any text decodes.
pub fn percent_decode_lossy(text: &str) -> String {
    let bytes = decode_bytes(text, false).unwrap_or_default();
    match String::from_utf8(bytes) {
        Ok(decoded) => decoded,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// A policy document as IAM returns it (percent-encoded, starting `%7B`) as
/// JSON text. Text that already starts with `{` is returned unchanged, since
/// decoding it could alter a literal `%` inside. `None` when the escapes are
/// malformed (see [`percent_decode`]).
pub fn decode_policy_document(text: &str) -> Option<String> {
    if text.trim_start().starts_with('{') {
        return Some(text.to_owned());
    }
    percent_decode(text)
}

/// [`decode_policy_document`] that never fails: malformed escapes are kept
/// (see [`percent_decode_lossy`]), so a broken document stays visibly broken.
pub fn decode_policy_document_lossy(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        return text.to_owned();
    }
    percent_decode_lossy(text)
}

/// The bytes `text` encodes. `strict`: `None` on a malformed escape;
/// otherwise a malformed escape is copied as is.
fn decode_bytes(text: &str, strict: bool) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = bytes.get(i + 1).copied().and_then(hex_value);
            let low = bytes.get(i + 2).copied().and_then(hex_value);
            match (high, low) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ if strict => return None,
                _ => {}
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(out)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
