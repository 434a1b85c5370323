//! Static format checks of the provider block that no intent shares: endpoint
//! URLs and Go-style durations. Names, ARNs, account IDs, tags, STS
//! session names and external IDs follow the rules in `intent::names` and
//! `intent::tags`, which the provider block uses too. Each check returns
//! `Err(reason)` with a sentence that says what is expected; callers attach
//! the attribute path and turn it into a diagnostic.

use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
