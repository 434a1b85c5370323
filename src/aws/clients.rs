//! Building the SDK clients from the provider's AWS settings: region, profile,
//! shared files, static keys, the default chain, an assumed role, and endpoint
//! overrides. One HTTP client is shared by every service client, and every
//! service client logs each call once (`call_log.rs`).

use std::fmt;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_runtime::env_config::file::{
    Builder as EnvConfigFilesBuilder, EnvConfigFileKind, EnvConfigFiles,
};
use aws_types::os_shim_internal::{Env, Fs};

use super::call_log::CallLog;
use super::AwsError;

/// Static keys from the provider block. Debug never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: Option<String>,
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticCredentials(** redacted **)")
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRoleSettings {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration: Option<Duration>,
}

impl fmt::Debug for AssumeRoleSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleSettings")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "** redacted **"),
            )
            .field("duration", &self.duration)
            .finish()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub iam: Option<String>,
    pub sts: Option<String>,
    pub eks: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsSettings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub shared_config_files: Vec<String>,
    pub shared_credentials_files: Vec<String>,
    pub static_credentials: Option<StaticCredentials>,
    pub assume_role: Option<AssumeRoleSettings>,
    pub endpoints: Endpoints,
    /// Attempts per call for the SDK's standard retry (throttling, 5xx, transport).
    pub max_attempts: u32,
}

/// The service clients, sharing one configuration and HTTP client.
///
/// The SDK clients are visible only inside `aws/`: code elsewhere reaches AWS
/// through the calls in `aws::iam`, `aws::eks` and `aws::sts`, which decide
/// not-found and convert errors, so no SDK type or error code leaks out.
#[derive(Clone, Debug)]
pub struct AwsClients {
    region: String,
    pub(in crate::aws) sts: aws_sdk_sts::Client,
    pub(in crate::aws) iam: aws_sdk_iam::Client,
    pub(in crate::aws) eks: aws_sdk_eks::Client,
}

const OP: &str = "provider configuration";

impl AwsClients {
    /// The region the clients were built for (from the provider block, the
    /// profile or the environment).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Loads credentials and region per `settings` and builds the clients.
    /// Makes no AWS call except, with `assume_role`, none until first use.
    /// A `profile` that is not in the shared files is an error
    /// ([`AwsError::attribute`] names `profile`).
    pub async fn connect(settings: &AwsSettings) -> Result<AwsClients, AwsError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts.max(1)));
        if let Some(region) = &settings.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let files = profile_files(settings);
        if let Some(profile) = &settings.profile {
            check_profile(profile, files.clone().unwrap_or_default(), settings).await?;
            loader = loader.profile_name(profile);
        }
        if let Some(files) = files {
            loader = loader.profile_files(files);
        }
        if let Some(keys) = &settings.static_credentials {
            loader = loader.credentials_provider(Credentials::new(
                keys.access_key.clone(),
                keys.secret_key.clone(),
                keys.session_token.clone(),
                None,
                "eksrole-provider-block",
            ));
        }
        let mut base = loader.load().await;
        let region = base
            .region()
            .map(|r| r.as_ref().to_owned())
            .ok_or_else(|| {
                AwsError::new(
                    OP,
                    "MissingRegion",
                    "no AWS region: set `region` in the provider block, or AWS_REGION",
                )
            })?;
        if let Some(role) = &settings.assume_role {
            base = with_assumed_role(base, role, settings.endpoints.sts.as_deref()).await;
        }

        let sts = {
            let mut b = aws_sdk_sts::config::Builder::from(&base).interceptor(CallLog);
            if let Some(url) = &settings.endpoints.sts {
                b = b.endpoint_url(url);
            }
            aws_sdk_sts::Client::from_conf(b.build())
        };
        let iam = {
            let mut b = aws_sdk_iam::config::Builder::from(&base).interceptor(CallLog);
            if let Some(url) = &settings.endpoints.iam {
                b = b.endpoint_url(url);
            }
            aws_sdk_iam::Client::from_conf(b.build())
        };
        let eks = {
            let mut b = aws_sdk_eks::config::Builder::from(&base).interceptor(CallLog);
            if let Some(url) = &settings.endpoints.eks {
                b = b.endpoint_url(url);
            }
            aws_sdk_eks::Client::from_conf(b.build())
        };
        Ok(AwsClients {
            region,
            sts,
            iam,
            eks,
        })
    }
}

/// The shared files named in the provider block, replacing the default
/// ones; `None` reads the defaults (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE,
/// or `~/.aws/config` and `~/.aws/credentials`).
fn profile_files(settings: &AwsSettings) -> Option<EnvConfigFiles> {
    if settings.shared_config_files.is_empty() && settings.shared_credentials_files.is_empty() {
        return None;
    }
    let mut files = EnvConfigFiles::builder();
    files = with_files(
        files,
        EnvConfigFileKind::Config,
        &settings.shared_config_files,
    );
    files = with_files(
        files,
        EnvConfigFileKind::Credentials,
        &settings.shared_credentials_files,
    );
    Some(files.build())
}

/// A named profile must exist in the shared files: the SDK's default chain
/// would otherwise go on to other credentials (environment variables come
/// first, and the instance metadata last) and run as someone else. `default`
/// is exempt, as in the AWS CLI: naming it is the same as naming nothing.
async fn check_profile(
    name: &str,
    files: EnvConfigFiles,
    settings: &AwsSettings,
) -> Result<(), AwsError> {
    if name == "default" {
        return Ok(());
    }
    let (fs, env) = (Fs::real(), Env::real());
    let read = aws_config::profile::load(&fs, &env, &files, None)
        .await
        .map_err(|e| {
            AwsError::new(
                OP,
                "ProfileFileError",
                format!("the shared config and credentials files could not be read: {e}"),
            )
        })?;
    if read.get_profile(name).is_some() {
        return Ok(());
    }
    let mut found: Vec<&str> = read.profiles().collect();
    found.sort_unstable();
    let found = if found.is_empty() {
        "they hold no profiles".to_owned()
    } else {
        format!("profiles found: {}", found.join(", "))
    };
    Err(AwsError::new(
        OP,
        "ProfileNotFound",
        format!(
            "profile {name:?} is not in {} ({found})",
            files_read(settings).join(" or ")
        ),
    ))
}

/// The shared files the SDK reads for these settings, as the user would
/// name them.
fn files_read(settings: &AwsSettings) -> Vec<String> {
    let named: Vec<String> = settings
        .shared_config_files
        .iter()
        .chain(&settings.shared_credentials_files)
        .cloned()
        .collect();
    if !named.is_empty() {
        return named;
    }
    let env_or =
        |var: &str, default: &str| std::env::var(var).unwrap_or_else(|_| default.to_owned());
    vec![
        env_or("AWS_CONFIG_FILE", "~/.aws/config"),
        env_or("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    ]
}

fn with_files(
    mut builder: EnvConfigFilesBuilder,
    kind: EnvConfigFileKind,
    paths: &[String],
) -> EnvConfigFilesBuilder {
    for path in paths {
        builder = builder.with_file(
            kind,
            expand_home(path, std::env::var("HOME").ok().as_deref()),
        );
    }
    builder
}

/// `~/` at the start of a path means the home directory, as in the AWS CLI.
fn expand_home(path: &str, home: Option<&str>) -> String {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => format!("{home}/{rest}"),
        _ => path.to_owned(),
    }
}

/// The base configuration with its credentials replaced by the assumed role's.
/// The role is assumed through the STS endpoint override when one is set.
async fn with_assumed_role(
    base: SdkConfig,
    role: &AssumeRoleSettings,
    sts_endpoint: Option<&str>,
) -> SdkConfig {
    let sts_conf = match sts_endpoint {
        Some(url) => base.clone().into_builder().endpoint_url(url).build(),
        None => base.clone(),
    };
    let mut builder = AssumeRoleProvider::builder(role.role_arn.clone()).configure(&sts_conf);
    if let Some(name) = &role.session_name {
        builder = builder.session_name(name);
    }
    if let Some(id) = &role.external_id {
        builder = builder.external_id(id);
    }
    if let Some(d) = role.duration {
        builder = builder.session_length(d);
    }
    let provider = builder.build().await;
    base.into_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_secrets() {
        let keys = StaticCredentials {
            access_key: "AKIAEXAMPLE".into(),
            secret_key: "very-secret".into(),
            session_token: Some("tok".into()),
        };
        let role = AssumeRoleSettings {
            role_arn: "arn:aws:iam::1:role/r".into(),
            session_name: None,
            external_id: Some("ext-secret".into()),
            duration: None,
        };
        let text = format!("{keys:?} {role:?}");
        assert!(
            !text.contains("very-secret")
                && !text.contains("AKIAEXAMPLE")
                && !text.contains("tok\"")
        );
        assert!(!text.contains("ext-secret"));
        assert!(text.contains("arn:aws:iam::1:role/r"));
    }

    fn files(config: &str, credentials: &str) -> EnvConfigFiles {
        EnvConfigFiles::builder()
            .with_contents(EnvConfigFileKind::Config, config)
            .with_contents(EnvConfigFileKind::Credentials, credentials)
            .build()
    }

    #[tokio::test]
    async fn a_named_profile_must_be_in_the_shared_files() {
        let settings = AwsSettings::default();
        let both = files(
            "[profile dev]\nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n",
            "[ci]\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
        );
        assert_eq!(check_profile("dev", both.clone(), &settings).await, Ok(()));
        assert_eq!(check_profile("ci", both.clone(), &settings).await, Ok(()));
        let err = check_profile("platform", both, &settings)
            .await
            .expect_err("unknown profile");
        assert_eq!(err.attribute(), Some("profile"));
        assert_eq!(err.summary(), Some("AWS profile not found"));
        assert!(err.message.contains("profiles found: ci, dev"), "{err}");
        assert!(!err.message.contains("AKIA"), "{err}");
        // Naming `default` is naming nothing: no files needed.
        assert_eq!(
            check_profile("default", files("", ""), &settings).await,
            Ok(())
        );
        let err = check_profile("x", files("", ""), &settings)
            .await
            .expect_err("no profiles at all");
        assert!(err.message.contains("they hold no profiles"), "{err}");
    }

    #[tokio::test]
    async fn an_unreadable_shared_file_is_reported_on_profile() {
        let settings = AwsSettings {
            shared_config_files: vec!["/nonexistent/eksrole/config".into()],
            ..AwsSettings::default()
        };
        let named = profile_files(&settings).expect("files named");
        let err = check_profile("dev", named, &settings)
            .await
            .expect_err("unreadable");
        assert_eq!(err.attribute(), Some("profile"));
        assert!(err.message.contains("/nonexistent/eksrole/config"), "{err}");
    }

    #[test]
    fn home_is_expanded() {
        assert_eq!(
            expand_home("~/.aws/config", Some("/home/me")),
            "/home/me/.aws/config"
        );
        assert_eq!(expand_home("/etc/aws", Some("/home/me")), "/etc/aws");
        assert_eq!(expand_home("~/x", None), "~/x");
    }
}
