//! Static format checks shared by the provider block and every intent. Each
//! returns `Err(reason)` with a sentence that says what is expected; callers
//! attach the attribute path and turn it into a diagnostic.

use std::time::Duration;

use crate::arn::Arn;

/// An AWS region name such as `us-east-1`, `eu-central-2` or `us-gov-west-1`.
pub fn region(s: &str) -> Result<(), String> {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(format!("{s:?} is not an AWS region name; expected something like \"us-east-1\" or \"eu-central-2\""))
    }
}

/// A 12-digit AWS account ID.
pub fn account_id(s: &str) -> Result<(), String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not an AWS account ID; expected exactly 12 digits"
        ))
    }
}

/// An IAM role ARN `arn:aws:iam::123456789012:role/optional/path/Name`.
pub fn role_arn(s: &str) -> Result<(), String> {
    let arn = Arn::parse(s).ok_or_else(|| {
        format!("{s:?} is not an ARN; expected arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE")
    })?;
    let name = arn
        .resource
        .strip_prefix("role/")
        .and_then(|r| r.rsplit('/').next());
    if arn.service != "iam" || !arn.region.is_empty() || account_id(arn.account).is_err() {
        return Err(format!(
            "{s:?} is not an IAM role ARN; expected arn:aws:iam::123456789012:role/NAME"
        ));
    }
    match name {
        Some(n) => role_name(n).map_err(|e| format!("{s:?} has an invalid role name: {e}")),
        None => Err(format!(
            "{s:?} is not an IAM role ARN; expected arn:aws:iam::123456789012:role/NAME"
        )),
    }
}

/// An IAM role name: 1-64 characters of letters, digits and `+=,.@_-`.
pub fn role_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.chars().count() > 64 {
        return Err(format!(
            "role names are 1-64 characters; {s:?} has {}",
            s.chars().count()
        ));
    }
    match s.chars().find(|c| !is_iam_name_char(*c)) {
        Some(c) => Err(format!(
            "{c:?} is not allowed in a role name; use letters, digits and + = , . @ _ -"
        )),
        None => Ok(()),
    }
}

fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// An STS role session name: 2-64 characters of letters, digits and `+=,.@_-`.
pub fn session_name(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if !(2..=64).contains(&n) {
        return Err(format!(
            "session names are 2-64 characters; this one has {n}"
        ));
    }
    match s.chars().find(|c| !is_iam_name_char(*c)) {
        Some(c) => Err(format!(
            "{c:?} is not allowed in a session name; use letters, digits and + = , . @ _ -"
        )),
        None => Ok(()),
    }
}

/// An STS external ID: 2-1224 characters of letters, digits and `+=,.@:/_-`.
/// The value is a secret, so messages never repeat it.
pub fn external_id(s: &str) -> Result<(), String> {
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
        Err("the external ID may hold only letters, digits and + = , . @ : / _ -".to_owned())
    }
}

/// An http(s) endpoint URL.
pub fn endpoint_url(s: &str) -> Result<(), String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && !host.starts_with('/')
                && !host.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "{s:?} is not an endpoint URL; expected http(s)://HOST[:PORT]"
        )),
    }
}

/// A Go-style duration such as `1h`, `15m`, `1h30m` or `900s`.
pub fn go_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("{s:?} is not a duration; write it like \"1h\", \"45m\" or \"1h30m\"");
    if s.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        let unit = match c {
            'h' => 3600,
            'm' if chars.peek() == Some(&'s') => return Err(bad()),
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// A tag key: 1-128 characters, not starting with the reserved `aws:`.
pub fn tag_key(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if !(1..=128).contains(&n) {
        return Err(format!("tag keys are 1-128 characters; {s:?} has {n}"));
    }
    if s.to_ascii_lowercase().starts_with("aws:") {
        return Err(format!("tag key {s:?} uses the reserved prefix \"aws:\""));
    }
    match s.chars().find(|c| !is_tag_char(*c)) {
        Some(c) => Err(format!("{c:?} is not allowed in a tag key")),
        None => Ok(()),
    }
}

/// A tag value: 0-256 characters.
pub fn tag_value(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if n > 256 {
        return Err(format!(
            "tag values are at most 256 characters; this one has {n}"
        ));
    }
    match s.chars().find(|c| !is_tag_char(*c)) {
        Some(c) => Err(format!("{c:?} is not allowed in a tag value")),
        None => Ok(()),
    }
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-4",
            "us-isob-east-1",
            "il-central-1",
        ] {
            assert_eq!(region(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "useast1",
            "us-east-100",
            "us_east_1",
            "not a region",
            "u-east-1",
        ] {
            assert!(region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn account_ids() {
        assert!(account_id("000000000000").is_ok());
        assert!(account_id("12345678901").is_err());
        assert!(account_id("12345678901a").is_err());
    }

    #[test]
    fn role_arns() {
        assert!(role_arn("arn:aws:iam::123456789012:role/Admin").is_ok());
        assert!(role_arn("arn:aws-cn:iam::123456789012:role/team/ci/Deployer").is_ok());
        assert!(role_arn("arn:aws:iam::123456789012:user/alice").is_err());
        assert!(role_arn("arn:aws:iam::1234:role/x").is_err());
        assert!(role_arn("arn:aws:sts::123456789012:assumed-role/x/y").is_err());
        assert!(role_arn("arn:aws:iam::123456789012:role/bad name").is_err());
        assert!(role_arn("role/x").is_err());
    }

    #[test]
    fn role_names() {
        assert!(role_name("a").is_ok());
        assert!(role_name(&"a".repeat(64)).is_ok());
        assert!(role_name(&"a".repeat(65)).is_err());
        assert!(role_name("").is_err());
        assert!(role_name("has space").is_err());
        assert!(role_name("ok+=,.@_-").is_ok());
    }

    #[test]
    fn session_names_and_external_ids() {
        assert!(session_name("terraform").is_ok());
        assert!(session_name("t").is_err());
        assert!(session_name("a/b").is_err());
        assert!(external_id("abc:/def").is_ok());
        assert!(external_id("x").is_err());
        let err = external_id("secret value!").unwrap_err();
        assert!(!err.contains("secret value"), "never echo a secret: {err}");
    }

    #[test]
    fn durations() {
        assert_eq!(go_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(go_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(go_duration("900s"), Ok(Duration::from_secs(900)));
        for bad in ["", "1", "h", "1d", "10ms", "-1h", "1h 2m"] {
            assert!(go_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints() {
        assert!(endpoint_url("http://127.0.0.1:4566").is_ok());
        assert!(endpoint_url("https://iam.amazonaws.com").is_ok());
        assert!(endpoint_url("127.0.0.1:4566").is_err());
        assert!(endpoint_url("http://").is_err());
    }

    #[test]
    fn tags() {
        assert!(tag_key("team").is_ok());
        assert!(tag_key("aws:owner").is_err());
        assert!(tag_key("AWS:owner").is_err());
        assert!(tag_key("").is_err());
        assert!(tag_value("").is_ok());
        assert!(tag_value(&"v".repeat(257)).is_err());
        assert!(tag_key("bad*key").is_err());
    }
}
