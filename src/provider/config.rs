//! The `provider "eksrole" {}` block: its schema, and turning its value into
//! settings with a diagnostic on every attribute that is wrong.

use std::collections::BTreeMap;

use crate::aws::clients::StaticCredentials;
use crate::aws::{AssumeRoleSettings, AwsSettings, Endpoints};
use crate::intent::{names, tags};
use crate::tfplugin::schema::{Attribute, Block, NestedBlock, Schema};
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Type, Value};
use crate::validate::{format, region};

/// Settings of one configured provider instance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderSettings {
    pub aws: AwsSettings,
    pub allowed_account_ids: Vec<String>,
    pub forbidden_account_ids: Vec<String>,
    pub default_tags: BTreeMap<String, String>,
    /// Live IAM/EKS/STS look-ups at plan time (on by default).
    pub plan_time_checks: bool,
    /// Accept a region this provider does not know (any host-name label).
    pub skip_region_validation: bool,
}

const DEFAULT_MAX_RETRIES: i64 = 5;

pub fn schema() -> Schema {
    let s = Type::String;
    Schema {
        version: 0,
        block: Block {
            description: "Configures AWS access for the eksrole intents. Follows the AWS provider's conventions: \
                          region, profile, shared files, static keys, the default credential chain, an assumed role \
                          and endpoint overrides.",
            attributes: vec![
                Attribute::optional("region", s.clone(), "AWS region, e.g. `us-east-1`. Defaults to `AWS_REGION` / the profile's region. Must be a region AWS has announced (a typo is reported with the closest region), unless `skip_region_validation` is set."),
                Attribute::optional("skip_region_validation", Type::Bool, "Accept a `region` this provider does not know yet (a newly launched region, or an AWS-compatible service's own region name). Default `false`."),
                Attribute::optional("profile", s.clone(), "Named profile from the shared config and credentials files (SSO, `aws login` sessions, `credential_process` and `role_arn` profiles included). A profile that is not in those files is an error."),
                Attribute::optional("shared_config_files", Type::list(s.clone()), "Shared config files to read instead of `~/.aws/config`."),
                Attribute::optional("shared_credentials_files", Type::list(s.clone()), "Shared credentials files to read instead of `~/.aws/credentials`."),
                Attribute::optional("access_key", s.clone(), "Static access key ID. Prefer the default credential chain.").sensitive(),
                Attribute::optional("secret_key", s.clone(), "Static secret access key.").sensitive(),
                Attribute::optional("token", s.clone(), "Session token for temporary static credentials.").sensitive(),
                Attribute::optional("allowed_account_ids", Type::set(s.clone()), "Refuse to run against any account not in this list. Conflicts with `forbidden_account_ids`."),
                Attribute::optional("forbidden_account_ids", Type::set(s.clone()), "Refuse to run against any account in this list."),
                Attribute::optional("plan_time_checks", Type::Bool, "Live IAM/EKS/STS look-ups at plan time (default `true`). When `false`, plan runs static checks only, makes no AWS call, and says so in a warning."),
                Attribute::optional("max_retries", Type::Number, "Attempts per AWS call for throttling and transient errors (default 5)."),
            ],
            blocks: vec![
                NestedBlock::single(
                    "assume_role",
                    Block {
                        description: "Assume this IAM role with the credentials found, and use the role for every call.",
                        attributes: vec![
                            Attribute::required("role_arn", s.clone(), "ARN of the role to assume."),
                            Attribute::optional("session_name", s.clone(), "Role session name (2-64 characters)."),
                            Attribute::optional("external_id", s.clone(), "External ID the role's trust policy requires.").sensitive(),
                            Attribute::optional("duration", s.clone(), "Session duration, e.g. `1h` (15m to 12h)."),
                        ],
                        blocks: vec![],
                    },
                ),
                NestedBlock::single(
                    "endpoints",
                    Block {
                        description: "Custom service endpoints, e.g. LocalStack's `http://127.0.0.1:4566`.",
                        attributes: vec![
                            Attribute::optional("iam", s.clone(), "IAM endpoint URL."),
                            Attribute::optional("sts", s.clone(), "STS endpoint URL."),
                            Attribute::optional("eks", s.clone(), "EKS endpoint URL."),
                        ],
                        blocks: vec![],
                    },
                ),
                NestedBlock::single(
                    "default_tags",
                    Block {
                        description: "Tags added to every IAM role the provider creates. Resource tags win on conflict.",
                        attributes: vec![Attribute::optional("tags", Type::map(s), "Tags to add.")],
                        blocks: vec![],
                    },
                ),
            ],
        },
    }
}

/// Reads the provider block. Every problem becomes a diagnostic on its
/// attribute; unknown values (from resources not yet created) count as unset.
pub fn parse(config: &Value) -> (ProviderSettings, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut settings = ProviderSettings {
        plan_time_checks: true,
        ..Default::default()
    };
    let skip = config.attr("skip_region_validation");
    settings.skip_region_validation = skip.as_bool().unwrap_or(false);
    let aws = &mut settings.aws;
    aws.region = string(config.attr("region"));
    // While `skip_region_validation` is unknown, so is whether the region is valid.
    if let (Some(region), false) = (&aws.region, skip.is_unknown()) {
        if let Err(e) = region::check(region, settings.skip_region_validation) {
            diags.push(Diagnostic::error("Invalid region", e).at(AttributePath::root("region")));
        }
    }
    aws.profile = string(config.attr("profile"));
    aws.shared_config_files = strings(config.attr("shared_config_files"));
    aws.shared_credentials_files = strings(config.attr("shared_credentials_files"));

    let access_key = string(config.attr("access_key"));
    let secret_key = string(config.attr("secret_key"));
    match (access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => {
            aws.static_credentials =
                Some(StaticCredentials { access_key, secret_key, session_token: string(config.attr("token")) });
        }
        (Some(_), None) if !config.attr("secret_key").is_unknown() => diags.push(
            Diagnostic::error("Incomplete static credentials", "`access_key` is set but `secret_key` is not; set both, or neither to use the default credential chain.")
                .at(AttributePath::root("secret_key")),
        ),
        (None, Some(_)) if !config.attr("access_key").is_unknown() => diags.push(
            Diagnostic::error("Incomplete static credentials", "`secret_key` is set but `access_key` is not; set both, or neither to use the default credential chain.")
                .at(AttributePath::root("access_key")),
        ),
        _ => {}
    }

    let max_retries = config.attr("max_retries");
    aws.max_attempts = match max_retries.as_i64() {
        Some(n) if (0..=100).contains(&n) => u32::try_from(n + 1).unwrap_or(1),
        Some(_) => {
            diags.push(
                Diagnostic::error(
                    "Invalid max_retries",
                    "`max_retries` must be a whole number from 0 to 100.",
                )
                .at(AttributePath::root("max_retries")),
            );
            1
        }
        None if max_retries.is_null() || max_retries.is_unknown() => {
            (DEFAULT_MAX_RETRIES + 1) as u32
        }
        None => {
            diags.push(
                Diagnostic::error(
                    "Invalid max_retries",
                    "`max_retries` must be a whole number from 0 to 100.",
                )
                .at(AttributePath::root("max_retries")),
            );
            1
        }
    };

    if let Some(b) = config.attr("plan_time_checks").as_bool() {
        settings.plan_time_checks = b;
    }

    aws.assume_role = parse_assume_role(config.attr("assume_role"), &mut diags);
    aws.endpoints = parse_endpoints(config.attr("endpoints"), &mut diags);

    settings.allowed_account_ids = account_ids(config, "allowed_account_ids", &mut diags);
    settings.forbidden_account_ids = account_ids(config, "forbidden_account_ids", &mut diags);
    if !settings.allowed_account_ids.is_empty() && !settings.forbidden_account_ids.is_empty() {
        diags.push(
            Diagnostic::error(
                "Conflicting account lists",
                "Set `allowed_account_ids` or `forbidden_account_ids`, not both.",
            )
            .at(AttributePath::root("forbidden_account_ids")),
        );
    }

    let tags_path = AttributePath::root("default_tags").attr("tags");
    for (k, v) in config.attr("default_tags").attr("tags").string_entries() {
        if let Err(e) = tags::validate_tag_key(k).and_then(|()| tags::validate_tag_value(v)) {
            diags.push(Diagnostic::error("Invalid default tag", e).at(tags_path.key(k)));
        }
        settings.default_tags.insert(k.to_owned(), v.to_owned());
    }
    (settings, diags)
}

/// Checks a region the provider block did not set (from AWS_REGION or the
/// profile) by the rules `region` follows.
pub fn check_region(region: &str, settings: &ProviderSettings) -> Result<(), String> {
    region::check(region, settings.skip_region_validation)
}

/// Checks the caller's account against the allowed/forbidden lists.
pub fn check_account(settings: &ProviderSettings, account_id: &str) -> Option<Diagnostic> {
    if !settings.allowed_account_ids.is_empty()
        && !settings.allowed_account_ids.iter().any(|a| a == account_id)
    {
        return Some(
            Diagnostic::error(
                "AWS account not allowed",
                format!(
                    "The credentials belong to account {account_id}, which is not in `allowed_account_ids` ({}). \
                     Use credentials for an allowed account, or add this account to the list.",
                    settings.allowed_account_ids.join(", ")
                ),
            )
            .at(AttributePath::root("allowed_account_ids")),
        );
    }
    if settings
        .forbidden_account_ids
        .iter()
        .any(|a| a == account_id)
    {
        return Some(
            Diagnostic::error(
                "AWS account forbidden",
                format!(
                    "The credentials belong to account {account_id}, which is listed in `forbidden_account_ids`. \
                     Use credentials for another account."
                ),
            )
            .at(AttributePath::root("forbidden_account_ids")),
        );
    }
    None
}

fn parse_assume_role(block: &Value, diags: &mut Diagnostics) -> Option<AssumeRoleSettings> {
    if block.is_null() || block.is_unknown() {
        return None;
    }
    let path = AttributePath::root("assume_role");
    let role_arn_value = block.attr("role_arn");
    let role_arn = string(role_arn_value);
    if let Some(arn) = &role_arn {
        if let Err(e) = names::parse_role_arn(arn) {
            diags.push(Diagnostic::error("Invalid role ARN", e).at(path.attr("role_arn")));
        }
    } else if !role_arn_value.is_unknown() {
        diags.push(
            Diagnostic::error(
                "Missing role ARN",
                "The `assume_role` block needs `role_arn`: the ARN of the role to assume.",
            )
            .at(path.attr("role_arn")),
        );
    }
    let session_name = string(block.attr("session_name"));
    if let Some(Err(e)) = session_name.as_deref().map(names::validate_session_name) {
        diags.push(Diagnostic::error("Invalid session name", e).at(path.attr("session_name")));
    }
    let external_id = string(block.attr("external_id"));
    if let Some(Err(e)) = external_id.as_deref().map(names::validate_external_id) {
        diags.push(Diagnostic::error("Invalid external ID", e).at(path.attr("external_id")));
    }
    let duration = match string(block.attr("duration"))
        .as_deref()
        .map(format::go_duration)
    {
        None => None,
        Some(Ok(d)) if (900..=43200).contains(&d.as_secs()) => Some(d),
        Some(Ok(_)) => {
            diags.push(
                Diagnostic::error("Invalid duration", "STS sessions last from 15m to 12h.")
                    .at(path.attr("duration")),
            );
            None
        }
        Some(Err(e)) => {
            diags.push(Diagnostic::error("Invalid duration", e).at(path.attr("duration")));
            None
        }
    };
    role_arn.map(|role_arn| AssumeRoleSettings {
        role_arn,
        session_name,
        external_id,
        duration,
    })
}

fn parse_endpoints(block: &Value, diags: &mut Diagnostics) -> Endpoints {
    let path = AttributePath::root("endpoints");
    let mut one = |name: &str| {
        let url = string(block.attr(name));
        if let Some(Err(e)) = url.as_deref().map(format::endpoint_url) {
            diags.push(Diagnostic::error("Invalid endpoint", e).at(path.attr(name)));
            return None;
        }
        url
    };
    Endpoints {
        iam: one("iam"),
        sts: one("sts"),
        eks: one("eks"),
    }
}

fn account_ids(config: &Value, name: &str, diags: &mut Diagnostics) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in config.attr(name).string_elements() {
        if let Err(e) = names::validate_account_id(id) {
            diags.push(
                Diagnostic::error("Invalid account ID", e).at(AttributePath::root(name).key(id)),
            );
        }
        ids.push(id.to_owned());
    }
    ids.sort();
    ids
}

fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn strings(v: &Value) -> Vec<String> {
    v.string_elements().into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(attrs: Vec<(&str, Value)>) -> Value {
        Value::object(attrs)
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn empty_block_means_defaults() {
        let (s, d) = parse(&config(vec![]));
        assert!(d.is_empty());
        assert!(s.plan_time_checks);
        assert_eq!(s.aws.max_attempts, 6);
        assert_eq!(s.aws.static_credentials, None);
    }

    #[test]
    fn bad_region_is_reported_on_region() {
        let (_, d) = parse(&config(vec![("region", "not a region".into())]));
        assert_eq!(paths(&d), ["region"]);
        assert!(d.has_errors());
        let (_, d) = parse(&config(vec![("region", "eu-westt-1".into())]));
        assert_eq!(paths(&d), ["region"]);
    }

    #[test]
    fn skip_region_validation_admits_an_unknown_region() {
        let (s, d) = parse(&config(vec![
            ("region", "eu-west-9".into()),
            ("skip_region_validation", Value::Bool(true)),
        ]));
        assert!(d.is_empty(), "{d:?}");
        assert!(s.skip_region_validation);
        assert_eq!(check_region("eu-west-9", &s), Ok(()));
        let (_, d) = parse(&config(vec![
            ("region", "eu-westt-1".into()),
            ("skip_region_validation", Value::Unknown),
        ]));
        assert!(d.is_empty(), "unknown until configured: {d:?}");
    }

    #[test]
    fn assume_role_needs_a_role_arn() {
        let block = Value::object([("role_arn", Value::Null), ("session_name", "ci".into())]);
        let (_, d) = parse(&config(vec![("assume_role", block)]));
        assert_eq!(paths(&d), ["assume_role.role_arn"]);
    }

    #[test]
    fn assume_role_fields_are_checked() {
        let block = Value::object([
            ("role_arn", "arn:aws:iam::123456789012:role/deployer".into()),
            ("session_name", "x".into()),
            ("external_id", "!".into()),
            ("duration", "13h".into()),
        ]);
        let (s, d) = parse(&config(vec![("assume_role", block)]));
        assert_eq!(
            paths(&d),
            [
                "assume_role.session_name",
                "assume_role.external_id",
                "assume_role.duration"
            ]
        );
        assert_eq!(
            s.aws.assume_role.map(|r| r.role_arn).as_deref(),
            Some("arn:aws:iam::123456789012:role/deployer")
        );
    }

    #[test]
    fn half_static_credentials_are_an_error() {
        let (_, d) = parse(&config(vec![("access_key", "AKIA".into())]));
        assert_eq!(paths(&d), ["secret_key"]);
        let (s, d) = parse(&config(vec![
            ("access_key", "test".into()),
            ("secret_key", "test".into()),
        ]));
        assert!(d.is_empty());
        assert!(s.aws.static_credentials.is_some());
    }

    #[test]
    fn account_lists() {
        let (s, d) = parse(&config(vec![(
            "allowed_account_ids",
            Value::Set(vec!["111111111111".into(), "12".into()]),
        )]));
        assert_eq!(paths(&d), ["allowed_account_ids[\"12\"]"]);
        assert_eq!(check_account(&s, "111111111111"), None);
        let denied = check_account(&s, "000000000000").map(|d| d.path.map(|p| p.to_string()));
        assert_eq!(denied, Some(Some("allowed_account_ids".to_owned())));

        let (s, _) = parse(&config(vec![(
            "forbidden_account_ids",
            Value::Set(vec!["000000000000".into()]),
        )]));
        let denied = check_account(&s, "000000000000").map(|d| d.path.map(|p| p.to_string()));
        assert_eq!(denied, Some(Some("forbidden_account_ids".to_owned())));
        assert_eq!(check_account(&s, "111111111111"), None);
    }

    #[test]
    fn both_account_lists_conflict() {
        let (_, d) = parse(&config(vec![
            (
                "allowed_account_ids",
                Value::Set(vec!["111111111111".into()]),
            ),
            (
                "forbidden_account_ids",
                Value::Set(vec!["222222222222".into()]),
            ),
        ]));
        assert_eq!(paths(&d), ["forbidden_account_ids"]);
    }

    #[test]
    fn endpoints_and_tags() {
        let (s, d) = parse(&config(vec![
            (
                "endpoints",
                Value::object([
                    ("iam", "http://127.0.0.1:4566".into()),
                    ("eks", "localhost:1".into()),
                ]),
            ),
            (
                "default_tags",
                Value::object([(
                    "tags",
                    Value::Map([("aws:x".to_owned(), "v".into())].into()),
                )]),
            ),
        ]));
        assert_eq!(paths(&d), ["endpoints.eks", "default_tags.tags[\"aws:x\"]"]);
        assert_eq!(
            s.aws.endpoints.iam.as_deref(),
            Some("http://127.0.0.1:4566")
        );
    }

    #[test]
    fn unknown_values_are_not_errors() {
        let (_, d) = parse(&config(vec![
            ("region", Value::Unknown),
            ("access_key", "x".into()),
            ("secret_key", Value::Unknown),
            ("assume_role", Value::object([("role_arn", Value::Unknown)])),
        ]));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn schema_type_matches_blocks() {
        let ty = schema().value_type();
        let Type::Object(attrs) = ty else {
            panic!("object expected")
        };
        assert!(
            attrs.contains_key("assume_role")
                && attrs.contains_key("endpoints")
                && attrs.contains_key("region")
        );
        assert_eq!(attrs.len(), 15);
    }
}
