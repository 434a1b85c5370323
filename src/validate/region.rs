//! The provider block's `region`: its form, the AWS partition it belongs to,
//! and whether it is a region AWS has announced, with the closest announced
//! region offered for a typo (`eu-westt-1` → `eu-west-1`). The facts (region
//! codes, each partition's naming) and their AWS sources are in
//! `docs/design/aws-facts.md`. `skip_region_validation` keeps only the check
//! that the value can stand in an endpoint host name, for regions newer than
//! this list or AWS-compatible services with their own region names.

use super::suggest;

/// Each partition and the prefix its region codes start with. Checked in
/// order: the more specific prefixes (`us-gov-`, `us-iso…-`, `eu-isoe-`) come
/// before the commercial partition's plain two-letter geography.
const PARTITION_PREFIXES: &[(&str, &str)] = &[
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("eusc-de-", "aws-eusc"),
    ("cn-", "aws-cn"),
];

/// The geographies of the commercial partition (`aws`).
const COMMERCIAL_GEOGRAPHIES: &[&str] = &["af", "ap", "ca", "eu", "il", "me", "mx", "sa", "us"];

/// Every region AWS has announced, by partition (as of this provider's
/// release). A region launched later needs `skip_region_validation = true`
/// until the provider knows it.
pub const KNOWN_REGIONS: &[&str] = &[
    // aws
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    // aws-cn
    "cn-north-1",
    "cn-northwest-1",
    // aws-us-gov
    "us-gov-east-1",
    "us-gov-west-1",
    // aws-eusc
    "eusc-de-east-1",
    // aws-iso, aws-iso-b, aws-iso-e, aws-iso-f
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "eu-isoe-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
];

/// The partition a region code belongs to, by its prefix; `None` when no
/// partition names its regions that way.
pub fn partition_of(region: &str) -> Option<&'static str> {
    if let Some((_, partition)) = PARTITION_PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
    {
        return Some(partition);
    }
    let geography = region.split('-').next()?;
    COMMERCIAL_GEOGRAPHIES.contains(&geography).then_some("aws")
}

/// Checks `region`; `Err` is the sentence to show on `region`. With
/// `skip_validation`, only what any endpoint host name needs is checked.
pub fn check(region: &str, skip_validation: bool) -> Result<(), String> {
    if skip_validation {
        return host_label(region);
    }
    let hint = || match closest_known(region) {
        Some(known) => format!(" Did you mean {known:?}?"),
        None => String::new(),
    };
    let shown = prefix_of(region);
    if !well_formed(region) {
        return Err(format!(
            "{shown:?} is not an AWS region name: expected something like \"us-east-1\" or \"eu-central-2\" \
             (geography, direction, number).{}",
            hint()
        ));
    }
    let Some(partition) = partition_of(region) else {
        return Err(format!(
            "{shown:?} belongs to no known AWS partition: commercial regions start with {}; \
             the others with {}.{} For an AWS-compatible service with its own region names, set \
             `skip_region_validation = true`.",
            COMMERCIAL_GEOGRAPHIES.join(", "),
            PARTITION_PREFIXES
                .iter()
                .map(|(prefix, partition)| format!("{prefix} ({partition})"))
                .collect::<Vec<_>>()
                .join(", "),
            hint()
        ));
    };
    if KNOWN_REGIONS.contains(&region) {
        return Ok(());
    }
    Err(format!(
        "{shown:?} is not a known region of the {partition} partition.{} If it is a region newer than \
         this provider, set `skip_region_validation = true` in the provider block.",
        hint()
    ))
}

/// `<geography>[-<qualifier>]-<direction>-<number>`: lowercase words joined
/// by hyphens, the first 2-4 letters, ending in a number of 1-2 digits.
fn well_formed(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    let is_word = |w: &&str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
    words.len() >= 2
        && (2..=4).contains(&words[0].len())
        && words.iter().all(is_word)
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// With validation skipped: still a label that can stand in a host name
/// (the SDK builds endpoints like `sts.<region>.amazonaws.com` from it).
fn host_label(region: &str) -> Result<(), String> {
    let ok = !region.is_empty()
        && region.len() <= 63
        && !region.starts_with('-')
        && !region.ends_with('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} cannot be a region name, even with `skip_region_validation`: use lowercase letters, \
             digits and hyphens (at most 63 characters).",
            prefix_of(region)
        ))
    }
}

/// The known region closest to a typo, when one is close enough.
fn closest_known(region: &str) -> Option<&'static str> {
    let lower = region.to_ascii_lowercase();
    if let Some(same) = KNOWN_REGIONS.iter().copied().find(|r| *r == lower) {
        return Some(same);
    }
    let known: Vec<String> = KNOWN_REGIONS.iter().map(|r| (*r).to_owned()).collect();
    let found = suggest::closest(&lower, &known)?;
    KNOWN_REGIONS.iter().copied().find(|r| *r == found)
}

/// At most the first 40 characters of a rejected value, so a long paste
/// does not fill the screen.
fn prefix_of(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests;
