use super::*;

#[test]
fn announced_regions_of_every_partition_pass() {
    for region in KNOWN_REGIONS {
        assert_eq!(check(region, false), Ok(()), "{region}");
        assert!(partition_of(region).is_some(), "{region}");
    }
    assert_eq!(partition_of("us-east-1"), Some("aws"));
    assert_eq!(partition_of("us-gov-west-1"), Some("aws-us-gov"));
    assert_eq!(partition_of("cn-north-1"), Some("aws-cn"));
    assert_eq!(partition_of("us-isob-east-1"), Some("aws-iso-b"));
    assert_eq!(partition_of("us-iso-east-1"), Some("aws-iso"));
    assert_eq!(partition_of("eu-isoe-west-1"), Some("aws-iso-e"));
    assert_eq!(partition_of("eusc-de-east-1"), Some("aws-eusc"));
    assert_eq!(partition_of("zz-east-1"), None);
}

#[test]
fn a_typo_names_the_closest_region() {
    let err = check("eu-westt-1", false).unwrap_err();
    assert!(err.contains("Did you mean \"eu-west-1\"?"), "{err}");
    assert!(err.contains("skip_region_validation"), "{err}");
    let err = check("us-east1", false).unwrap_err();
    assert!(err.contains("Did you mean \"us-east-1\"?"), "{err}");
    let err = check("US-EAST-1", false).unwrap_err();
    assert!(err.contains("Did you mean \"us-east-1\"?"), "{err}");
}

#[test]
fn malformed_or_unpartitioned_names_are_refused() {
    for bad in [
        "",
        "us-east",
        "useast1",
        "us-east-100",
        "us_east_1",
        "not a region",
        "u-east-1",
        "moon-base-1x",
    ] {
        assert!(check(bad, false).is_err(), "{bad}");
    }
    let err = check("zz-north-1", false).unwrap_err();
    assert!(err.contains("no known AWS partition"), "{err}");
}

#[test]
fn a_well_formed_unknown_region_needs_the_escape_hatch() {
    let err = check("eu-west-9", false).unwrap_err();
    assert!(
        err.contains("not a known region of the aws partition"),
        "{err}"
    );
    assert_eq!(check("eu-west-9", true), Ok(()));
    assert_eq!(check("moon-base-1x", true), Ok(()));
    for bad in ["", "Eu-West-9", "eu west 9", "-eu-west-9", "eu.west.9"] {
        assert!(check(bad, true).is_err(), "{bad:?}");
    }
}

#[test]
fn a_long_value_is_quoted_short() {
    let long = "x".repeat(10_000);
    let err = check(&long, false).unwrap_err();
    assert!(err.len() < 300, "{}", err.len());
    let err = check(&long.to_ascii_uppercase(), true).unwrap_err();
    assert!(err.len() < 300, "{}", err.len());
}

#[test]
fn a_long_well_formed_value_is_quoted_short() {
    let long = format!("eu-{}-1", "w".repeat(10_000));
    let err = check(&long, false).unwrap_err();
    assert!(err.len() < 300, "{}", err.len());
}
