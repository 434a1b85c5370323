//! The AWS edge (`src/aws/iam/`, `src/aws/eks/`, `src/aws/retry.rs`) against the real
//! test bed: LocalStack with the project's EKS extension, started once for this binary on a
//! free port through `scripts/testbed start --owner-pid <this pid>` (so it stops when this
//! process ends, however it ends) and stopped explicitly after the last test.
//!
//! Tests share the instance and use names unique to each test. The one test that injects
//! faults (which apply to the whole instance) holds the fault lock exclusively; every other
//! test holds it shared.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use eksrole::aws::clients::StaticCredentials;
use eksrole::aws::eks::{self, AccessScope, AuthenticationMode};
use eksrole::aws::iam::{self, NewRole};
use eksrole::aws::retry::RetryPolicy;
use eksrole::aws::{AwsClients, AwsSettings, Endpoints};
use tokio::sync::RwLock;

const ACCOUNT: &str = "000000000000";
/// The number of `#[tokio::test]`s below: the last one to finish stops the test bed.
const TESTS: usize = 6;

struct Testbed {
    port: u16,
    endpoint: String,
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn testbed_script(args: &[&str]) -> String {
    let out = Command::new("bash")
        .arg("scripts/testbed")
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run scripts/testbed {args:?}: {e}"));
    assert!(
        out.status.success(),
        "scripts/testbed {args:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn testbed() -> &'static Testbed {
    static TESTBED: OnceLock<Testbed> = OnceLock::new();
    TESTBED.get_or_init(|| {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let out = testbed_script(&[
            "start",
            "--port",
            &port.to_string(),
            "--owner-pid",
            &std::process::id().to_string(),
        ]);
        let endpoint = out
            .lines()
            .last()
            .map(str::trim)
            .filter(|l| l.starts_with("http://"))
            .unwrap_or_else(|| panic!("scripts/testbed start printed no URL: {out}"))
            .to_owned();
        Testbed { port, endpoint }
    })
}

/// Held for a test's duration: counts finished tests (also when one panics) and stops
/// the test bed after the last.
struct TestGuard;

impl Drop for TestGuard {
    fn drop(&mut self) {
        static FINISHED: AtomicUsize = AtomicUsize::new(0);
        if FINISHED.fetch_add(1, Ordering::SeqCst) + 1 == TESTS {
            let port = testbed().port.to_string();
            let _ = Command::new("bash")
                .args(["scripts/testbed", "stop", "--port", &port])
                .current_dir(repo_root())
                .output();
        }
    }
}

/// Fault rules apply to the whole instance: the fault test writes, the others read.
static FAULT_LOCK: RwLock<()> = RwLock::const_new(());

async fn clients() -> AwsClients {
    let endpoint = testbed().endpoint.clone();
    AwsClients::connect(&AwsSettings {
        region: Some("us-east-1".into()),
        static_credentials: Some(StaticCredentials {
            access_key: "test".into(),
            secret_key: "test".into(),
            session_token: None,
        }),
        endpoints: Endpoints {
            iam: Some(endpoint.clone()),
            sts: Some(endpoint.clone()),
            eks: Some(endpoint),
        },
        max_attempts: 3,
        ..AwsSettings::default()
    })
    .await
    .expect("clients for the test bed")
}

/// Plain SDK clients for the test bed, to create fixtures the provider never
/// creates (clusters, add-ons, users, managed policies, OIDC providers):
/// `AwsClients` keeps its SDK clients private to `src/aws/`.
struct Sdk {
    iam: aws_sdk_iam::Client,
    eks: aws_sdk_eks::Client,
}

async fn sdk_clients() -> Sdk {
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .endpoint_url(testbed().endpoint.clone())
        .load()
        .await;
    Sdk {
        iam: aws_sdk_iam::Client::new(&conf),
        eks: aws_sdk_eks::Client::new(&conf),
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        timeout: Duration::from_secs(20),
        initial_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(500),
    }
}

fn role_arn(path_and_name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role{path_and_name}")
}

fn pod_identity_trust() -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"]
        }]
    })
    .to_string()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn make_role(c: &AwsClients, name: &str) -> iam::ObservedRole {
    let tags = BTreeMap::new();
    iam::create_role(
        c,
        &NewRole {
            name,
            path: "/",
            description: None,
            trust_policy: &pod_identity_trust(),
            max_session_duration: 3600,
            permissions_boundary: None,
            tags: &tags,
        },
        &quick(),
    )
    .await
    .expect("create role")
    .expect("the role is new")
}

async fn make_cluster(name: &str, mode: Option<&str>) {
    let mut request = sdk_clients()
        .await
        .eks
        .create_cluster()
        .name(name)
        .role_arn(role_arn("/eks-cluster-role"))
        .resources_vpc_config(
            aws_sdk_eks::types::VpcConfigRequest::builder()
                .subnet_ids("subnet-0123456789abcdef0")
                .subnet_ids("subnet-0123456789abcdef1")
                .build(),
        );
    if let Some(mode) = mode {
        request = request.access_config(
            aws_sdk_eks::types::CreateAccessConfigRequest::builder()
                .authentication_mode(aws_sdk_eks::types::AuthenticationMode::from(mode))
                .build(),
        );
    }
    request.send().await.expect("create cluster");
}

fn faults(method: &str, body: Option<&str>) {
    let url = format!("{}/_eksrole/faults", testbed().endpoint);
    let mut cmd = Command::new("curl");
    cmd.args(["-sf", "-X", method, &url]);
    if let Some(body) = body {
        cmd.args(["-H", "Content-Type: application/json", "-d", body]);
    }
    let out = cmd.output().expect("run curl");
    assert!(
        out.status.success(),
        "{method} {url} {body:?} failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn role_lifecycle() {
    let _done = TestGuard;
    let _shared = FAULT_LOCK.read().await;
    let c = clients().await;
    let raw = sdk_clients().await;
    let name = "aws-edge-role";

    assert_eq!(iam::get_role(&c, name).await.unwrap(), None);
    assert_eq!(
        iam::list_attached_role_policies(&c, name).await.unwrap(),
        None
    );
    assert_eq!(iam::list_role_policy_names(&c, name).await.unwrap(), None);
    assert_eq!(iam::get_role_policy(&c, name, "p").await.unwrap(), None);
    iam::detach_role_policy(&c, name, "arn:aws:iam::aws:policy/ReadOnlyAccess")
        .await
        .unwrap();
    iam::delete_role_policy(&c, name, "p").await.unwrap();
    iam::delete_role_permissions_boundary(&c, name)
        .await
        .unwrap();
    iam::delete_role_fully(&c, name).await.unwrap();

    let boundary = raw
        .iam
        .create_policy()
        .policy_name("aws-edge-boundary")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        )
        .send()
        .await
        .expect("create boundary policy")
        .policy()
        .and_then(|p| p.arn())
        .expect("policy ARN")
        .to_owned();

    // Characters that percent-encoding must round-trip: '+', spaces, '%', '&', non-ASCII.
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {"aws:RequestTag/team": "a+b c%20d&e/é"}}
        }]
    })
    .to_string();
    let tags = BTreeMap::from([
        ("owner".to_owned(), "eksrole".to_owned()),
        ("team".to_owned(), "a+b c".to_owned()),
    ]);
    let created = iam::create_role(
        &c,
        &NewRole {
            name,
            path: "/teams/edge/",
            description: Some("edge test role"),
            trust_policy: &trust,
            max_session_duration: 7200,
            permissions_boundary: Some(&boundary),
            tags: &tags,
        },
        &quick(),
    )
    .await
    .expect("create role")
    .expect("the role is new");
    assert_eq!(created.name, name);
    assert_eq!(created.path, "/teams/edge/");
    assert_eq!(created.arn, role_arn("/teams/edge/aws-edge-role"));
    assert!(!created.role_id.is_empty());
    assert_eq!(json(&created.trust_policy), json(&trust));

    // The name is taken now: a second create is an answer, not an error.
    let again = iam::create_role(
        &c,
        &NewRole {
            name,
            path: "/",
            description: None,
            trust_policy: &trust,
            max_session_duration: 3600,
            permissions_boundary: None,
            tags: &BTreeMap::new(),
        },
        &quick(),
    )
    .await
    .expect("EntityAlreadyExists is an answer");
    assert_eq!(again, None);

    let observed = iam::get_role(&c, name).await.unwrap().expect("role exists");
    assert_eq!(observed.arn, created.arn);
    assert_eq!(observed.role_id, created.role_id);
    assert_eq!(json(&observed.trust_policy), json(&trust));
    assert_eq!(observed.description.as_deref(), Some("edge test role"));
    assert_eq!(observed.max_session_duration, 7200);
    assert_eq!(
        observed.permissions_boundary.as_deref(),
        Some(boundary.as_str())
    );
    assert_eq!(observed.tags, tags);
    assert!(observed
        .create_date_epoch
        .is_some_and(|t| t > 1_600_000_000));

    // Trust policy, description (cleared) and session duration.
    let new_trust = pod_identity_trust();
    iam::update_assume_role_policy(&c, name, &new_trust, &quick())
        .await
        .unwrap();
    iam::update_role(&c, name, None, 3600).await.unwrap();
    let observed = iam::get_role(&c, name).await.unwrap().unwrap();
    assert_eq!(json(&observed.trust_policy), json(&new_trust));
    assert_eq!(observed.description, None);
    assert_eq!(observed.max_session_duration, 3600);
    iam::update_role(&c, name, Some("again"), 43200)
        .await
        .unwrap();
    let observed = iam::get_role(&c, name).await.unwrap().unwrap();
    assert_eq!(observed.description.as_deref(), Some("again"));
    assert_eq!(observed.max_session_duration, 43200);

    // Permissions boundary.
    iam::delete_role_permissions_boundary(&c, name)
        .await
        .unwrap();
    assert_eq!(
        iam::get_role(&c, name)
            .await
            .unwrap()
            .unwrap()
            .permissions_boundary,
        None
    );
    iam::delete_role_permissions_boundary(&c, name)
        .await
        .unwrap();
    iam::put_role_permissions_boundary(&c, name, &boundary)
        .await
        .unwrap();
    assert_eq!(
        iam::get_role(&c, name)
            .await
            .unwrap()
            .unwrap()
            .permissions_boundary,
        Some(boundary.clone())
    );

    // Managed policies.
    let read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let s3_read = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    assert_eq!(
        iam::list_attached_role_policies(&c, name).await.unwrap(),
        Some(BTreeSet::new())
    );
    iam::attach_role_policy(&c, name, read_only).await.unwrap();
    iam::attach_role_policy(&c, name, s3_read).await.unwrap();
    assert_eq!(
        iam::list_attached_role_policies(&c, name).await.unwrap(),
        Some(BTreeSet::from([read_only.to_owned(), s3_read.to_owned()]))
    );
    iam::detach_role_policy(&c, name, read_only).await.unwrap();
    iam::detach_role_policy(&c, name, read_only).await.unwrap();
    assert_eq!(
        iam::list_attached_role_policies(&c, name).await.unwrap(),
        Some(BTreeSet::from([s3_read.to_owned()]))
    );

    // Inline policies.
    let inline = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"eks:DescribeCluster","Resource":"arn:aws:eks:us-east-1:000000000000:cluster/a b+c"}]}"#;
    assert_eq!(
        iam::list_role_policy_names(&c, name).await.unwrap(),
        Some(BTreeSet::new())
    );
    iam::put_role_policy(&c, name, "describe", inline)
        .await
        .unwrap();
    iam::put_role_policy(&c, name, "second", inline)
        .await
        .unwrap();
    assert_eq!(
        iam::list_role_policy_names(&c, name).await.unwrap(),
        Some(BTreeSet::from(["describe".to_owned(), "second".to_owned()]))
    );
    let document = iam::get_role_policy(&c, name, "describe")
        .await
        .unwrap()
        .expect("inline policy");
    assert_eq!(json(&document), json(inline));
    assert_eq!(
        iam::get_role_policy(&c, name, "absent").await.unwrap(),
        None
    );
    iam::delete_role_policy(&c, name, "second").await.unwrap();
    iam::delete_role_policy(&c, name, "second").await.unwrap();
    assert_eq!(
        iam::list_role_policy_names(&c, name).await.unwrap(),
        Some(BTreeSet::from(["describe".to_owned()]))
    );

    // Tags.
    iam::tag_role(
        &c,
        name,
        &BTreeMap::from([("extra".to_owned(), "1".to_owned())]),
    )
    .await
    .unwrap();
    iam::untag_role(&c, name, &BTreeSet::from(["team".to_owned()]))
        .await
        .unwrap();
    iam::tag_role(&c, name, &BTreeMap::new()).await.unwrap();
    iam::untag_role(&c, name, &BTreeSet::new()).await.unwrap();
    assert_eq!(
        iam::get_role(&c, name).await.unwrap().unwrap().tags,
        BTreeMap::from([
            ("extra".to_owned(), "1".to_owned()),
            ("owner".to_owned(), "eksrole".to_owned()),
        ])
    );

    // Full delete: managed + inline policies and an instance profile stand in the way.
    raw.iam
        .create_instance_profile()
        .instance_profile_name("aws-edge-profile")
        .send()
        .await
        .expect("create instance profile");
    raw.iam
        .add_role_to_instance_profile()
        .instance_profile_name("aws-edge-profile")
        .role_name(name)
        .send()
        .await
        .expect("add role to instance profile");
    assert_eq!(
        iam::list_instance_profiles_for_role(&c, name)
            .await
            .unwrap(),
        Some(BTreeSet::from(["aws-edge-profile".to_owned()]))
    );
    iam::delete_role_fully(&c, name).await.expect("delete role");
    assert_eq!(iam::get_role(&c, name).await.unwrap(), None);
    iam::delete_role_fully(&c, name)
        .await
        .expect("delete again");

    // Delete knowing the state's policies: what the state records is removed
    // without a listing; a policy attached out of band (not in the state)
    // makes DeleteRole conflict, and then everything is listed and removed.
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    for (name, extra) in [("aws-edge-known", false), ("aws-edge-extra", true)] {
        make_role(&c, name).await;
        iam::attach_role_policy(&c, name, "arn:aws:iam::aws:policy/ReadOnlyAccess")
            .await
            .unwrap();
        iam::put_role_policy(&c, name, "p", doc).await.unwrap();
        if extra {
            iam::attach_role_policy(&c, name, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
                .await
                .unwrap();
            iam::put_role_policy(&c, name, "q", doc).await.unwrap();
        }
        let managed = BTreeSet::from(["arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned()]);
        let inline = BTreeSet::from(["p".to_owned()]);
        iam::delete_role_knowing(&c, name, &managed, &inline)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(iam::get_role(&c, name).await.unwrap(), None, "{name}");
        // Gone already, and what the state names is gone too: success.
        iam::delete_role_knowing(&c, name, &managed, &inline)
            .await
            .expect("delete again");
    }
}

#[tokio::test]
async fn lookups_policies_oidc_principals_quota() {
    let _done = TestGuard;
    let _shared = FAULT_LOCK.read().await;
    let c = clients().await;
    let raw = sdk_clients().await;

    assert!(
        iam::policy_exists(&c, "arn:aws:iam::aws:policy/ReadOnlyAccess")
            .await
            .unwrap()
    );
    assert!(!iam::policy_exists(
        &c,
        &format!("arn:aws:iam::{ACCOUNT}:policy/aws-edge-absent")
    )
    .await
    .unwrap());

    // OIDC providers.
    let issuer_host = "oidc.eks.us-east-1.amazonaws.com/id/AWSEDGE0123456789";
    let provider_arn = raw
        .iam
        .create_open_id_connect_provider()
        .url(format!("https://{issuer_host}"))
        .client_id_list("sts.amazonaws.com")
        .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
        .send()
        .await
        .expect("create OIDC provider")
        .open_id_connect_provider_arn()
        .expect("provider ARN")
        .to_owned();
    let provider = iam::get_oidc_provider(&c, &provider_arn)
        .await
        .unwrap()
        .expect("provider exists");
    assert_eq!(provider.url, issuer_host);
    assert_eq!(provider.client_ids, vec!["sts.amazonaws.com".to_owned()]);
    assert_eq!(
        provider.thumbprints,
        vec!["9e99a48a9960b14926bb7f3b02e22da2b0ab7280".to_owned()]
    );
    assert!(iam::list_oidc_provider_arns(&c)
        .await
        .unwrap()
        .contains(&provider_arn));
    let absent = format!("arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.example.com/id/NONE");
    assert_eq!(iam::get_oidc_provider(&c, &absent).await.unwrap(), None);

    // Principals.
    let tags = BTreeMap::new();
    iam::create_role(
        &c,
        &NewRole {
            name: "aws-edge-principal",
            path: "/ci/",
            description: None,
            trust_policy: &pod_identity_trust(),
            max_session_duration: 3600,
            permissions_boundary: None,
            tags: &tags,
        },
        &quick(),
    )
    .await
    .unwrap();
    raw.iam
        .create_user()
        .user_name("aws-edge-alice")
        .path("/people/")
        .send()
        .await
        .expect("create user");
    let exists = |arn: String| {
        let c = c.clone();
        async move {
            match iam::get_principal(&c, &arn).await.unwrap() {
                iam::ObservedPrincipal::Role { trust_policy } => {
                    // The trust policy comes back decoded, ready to read.
                    assert!(trust_policy.starts_with('{'), "{trust_policy}");
                    Some(true)
                }
                iam::ObservedPrincipal::User => Some(true),
                iam::ObservedPrincipal::Missing | iam::ObservedPrincipal::OtherPath(_) => {
                    Some(false)
                }
                iam::ObservedPrincipal::NotLookedUp => None,
            }
        }
    };
    assert_eq!(exists(role_arn("/ci/aws-edge-principal")).await, Some(true));
    assert_eq!(exists(role_arn("/aws-edge-principal")).await, Some(false));
    assert_eq!(exists(role_arn("/ci/aws-edge-missing")).await, Some(false));
    // The name under another path: the ARN that exists, for a "did you mean".
    assert_eq!(
        iam::get_principal(&c, &format!("arn:aws:iam::{ACCOUNT}:user/aws-edge-alice"))
            .await
            .unwrap(),
        iam::ObservedPrincipal::OtherPath(format!(
            "arn:aws:iam::{ACCOUNT}:user/people/aws-edge-alice"
        ))
    );
    assert_eq!(
        exists(format!("arn:aws:iam::{ACCOUNT}:user/people/aws-edge-alice")).await,
        Some(true)
    );
    assert_eq!(
        exists(format!("arn:aws:iam::{ACCOUNT}:user/aws-edge-alice")).await,
        Some(false)
    );
    assert_eq!(exists(format!("arn:aws:iam::{ACCOUNT}:root")).await, None);
    assert_eq!(
        exists(format!("arn:aws:sts::{ACCOUNT}:assumed-role/x/y")).await,
        None
    );
    // Another account's role with a name that exists here: IAM cannot tell.
    assert_eq!(
        exists("arn:aws:iam::111111111111:role/ci/aws-edge-principal".to_owned()).await,
        None
    );

    assert_eq!(iam::trust_policy_size_quota(&c).await.unwrap(), Some(2048));
    iam::delete_role_fully(&c, "aws-edge-principal")
        .await
        .unwrap();
}

#[tokio::test]
async fn clusters_and_addons() {
    let _done = TestGuard;
    let _shared = FAULT_LOCK.read().await;
    let c = clients().await;
    let raw = sdk_clients().await;

    assert_eq!(
        eks::describe_cluster(&c, "aws-edge-none").await.unwrap(),
        None
    );
    assert_eq!(
        eks::addon_present(&c, "aws-edge-none", "eks-pod-identity-agent")
            .await
            .unwrap(),
        None
    );

    make_cluster("aws-edge-api", Some("API")).await;
    make_cluster("aws-edge-default", None).await;
    let api = eks::describe_cluster(&c, "aws-edge-api")
        .await
        .unwrap()
        .expect("cluster exists");
    assert_eq!(api.name, "aws-edge-api");
    assert_eq!(
        api.arn,
        format!("arn:aws:eks:us-east-1:{ACCOUNT}:cluster/aws-edge-api")
    );
    assert_eq!(api.authentication_mode, AuthenticationMode::Api);
    assert!(api
        .oidc_issuer
        .as_deref()
        .is_some_and(|i| i.starts_with("https://")));
    assert!(
        ["CREATING", "ACTIVE"].contains(&api.status.as_str()),
        "{}",
        api.status
    );
    let default = eks::describe_cluster(&c, "aws-edge-default")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(default.authentication_mode, AuthenticationMode::ConfigMap);

    assert_eq!(
        eks::addon_present(&c, "aws-edge-api", "eks-pod-identity-agent")
            .await
            .unwrap(),
        None
    );
    raw.eks
        .create_addon()
        .cluster_name("aws-edge-api")
        .addon_name("eks-pod-identity-agent")
        .send()
        .await
        .expect("create add-on");
    let status = eks::addon_present(&c, "aws-edge-api", "eks-pod-identity-agent")
        .await
        .unwrap()
        .expect("add-on exists");
    assert!(
        ["CREATING", "ACTIVE"].contains(&status.as_str()),
        "{status}"
    );

    // Access entries on a CONFIG_MAP cluster are an error, not "absent".
    let err = eks::describe_access_entry(&c, "aws-edge-default", &role_arn("/x"))
        .await
        .unwrap_err();
    assert_eq!(err.code, "InvalidRequestException", "{err}");
    assert_eq!(err.operation, "eks:DescribeAccessEntry");
}

#[tokio::test]
async fn pod_identity_associations() {
    let _done = TestGuard;
    let _shared = FAULT_LOCK.read().await;
    let c = clients().await;
    let cluster = "aws-edge-pods";
    make_cluster(cluster, Some("API")).await;
    let role = make_role(&c, "aws-edge-pod-role").await;
    let other = make_role(&c, "aws-edge-pod-role-2").await;
    let target = role_arn("/cross/target");

    assert_eq!(
        eks::find_pod_identity_association(&c, cluster, "apps", "web", None)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        eks::find_pod_identity_association(&c, "aws-edge-none", "apps", "web", None)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        eks::describe_pod_identity_association(&c, cluster, "a-doesnotexist0000")
            .await
            .unwrap(),
        None
    );
    // A cluster that is gone took its associations with it: absent, and deleted.
    assert_eq!(
        eks::find_pod_identity_association(
            &c,
            "aws-edge-none",
            "apps",
            "web",
            Some("a-doesnotexist0000")
        )
        .await
        .unwrap(),
        None
    );
    eks::delete_pod_identity_association(&c, "aws-edge-none", "a-doesnotexist0000")
        .await
        .expect("no cluster: nothing to delete");

    let tags = BTreeMap::from([("owner".to_owned(), "eksrole".to_owned())]);
    let created = eks::create_pod_identity_association(
        &c,
        cluster,
        "apps",
        "web",
        &plain(&role.arn),
        &tags,
        &quick(),
    )
    .await
    .expect("create association")
    .expect("the association is new");
    assert_eq!(created.cluster_name, cluster);
    assert_eq!(created.namespace, "apps");
    assert_eq!(created.service_account, "web");
    assert_eq!(created.role_arn, role.arn);
    assert_eq!(created.target_role_arn, None);
    assert_eq!(created.tags, tags);
    assert!(created.association_arn.ends_with(&created.association_id));

    // A second association in the same namespace, so the find filter matters.
    eks::create_pod_identity_association(
        &c,
        cluster,
        "apps",
        "worker",
        &plain(&role.arn),
        &BTreeMap::new(),
        &quick(),
    )
    .await
    .unwrap();

    let described = eks::describe_pod_identity_association(&c, cluster, &created.association_id)
        .await
        .unwrap()
        .expect("association exists");
    assert_eq!(described, created);
    let found = eks::find_pod_identity_association(&c, cluster, "apps", "web", None)
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found, created);
    // By the known ID; and by namespace and service account when that ID is stale.
    for known_id in [created.association_id.as_str(), "a-doesnotexist0000"] {
        let found = eks::find_pod_identity_association(&c, cluster, "apps", "web", Some(known_id))
            .await
            .unwrap();
        assert_eq!(found.as_ref(), Some(&created), "{known_id}");
    }

    // Duplicate: EKS's conflict (not retried) reads as "exists already".
    let again = eks::create_pod_identity_association(
        &c,
        cluster,
        "apps",
        "web",
        &plain(&role.arn),
        &BTreeMap::new(),
        &quick(),
    )
    .await
    .expect("a conflict is an answer");
    assert_eq!(again, None);

    let updated = eks::update_pod_identity_association(
        &c,
        cluster,
        &created.association_id,
        &eks::AssociationSettings {
            target_role_arn: Some(&target),
            ..plain(&other.arn)
        },
    )
    .await
    .unwrap();
    assert_eq!(updated.role_arn, other.arn);
    assert_eq!(updated.target_role_arn.as_deref(), Some(target.as_str()));
    let cleared = eks::update_pod_identity_association(
        &c,
        cluster,
        &created.association_id,
        &eks::AssociationSettings {
            target_role_arn: None,
            ..plain(&other.arn)
        },
    )
    .await
    .unwrap();
    assert_eq!(cleared.target_role_arn, None);
    assert_eq!(
        eks::describe_pod_identity_association(&c, cluster, &created.association_id)
            .await
            .unwrap()
            .unwrap()
            .target_role_arn,
        None
    );

    eks::delete_pod_identity_association(&c, cluster, &created.association_id)
        .await
        .unwrap();
    eks::delete_pod_identity_association(&c, cluster, &created.association_id)
        .await
        .unwrap();
    assert_eq!(
        eks::describe_pod_identity_association(&c, cluster, &created.association_id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        eks::find_pod_identity_association(&c, cluster, "apps", "web", None)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn access_entries_and_policy_associations() {
    let _done = TestGuard;
    let _shared = FAULT_LOCK.read().await;
    let c = clients().await;
    let cluster = "aws-edge-access";
    make_cluster(cluster, Some("API_AND_CONFIG_MAP")).await;
    let role = make_role(&c, "aws-edge-team").await;
    let principal = role.arn.as_str();

    assert_eq!(
        eks::describe_access_entry(&c, cluster, principal)
            .await
            .unwrap(),
        None
    );
    // A cluster that is gone took its entries with it: absent, and deleted.
    assert_eq!(
        eks::describe_access_entry(&c, "aws-edge-none", principal)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        eks::list_associated_access_policies(&c, "aws-edge-none", principal)
            .await
            .unwrap(),
        None
    );
    eks::delete_access_entry(&c, "aws-edge-none", principal)
        .await
        .expect("no cluster: nothing to delete");
    assert_eq!(
        eks::list_associated_access_policies(&c, cluster, principal)
            .await
            .unwrap(),
        None
    );

    let groups = BTreeSet::from(["team-edge".to_owned(), "viewers".to_owned()]);
    let tags = BTreeMap::from([("owner".to_owned(), "eksrole".to_owned())]);
    let created = eks::create_access_entry(
        &c,
        cluster,
        principal,
        &groups,
        Some("edge-user"),
        &tags,
        &quick(),
    )
    .await
    .expect("create access entry")
    .expect("the entry is new");
    assert_eq!(created.cluster_name, cluster);
    assert_eq!(created.principal_arn, principal);
    assert_eq!(created.kubernetes_groups, groups);
    assert_eq!(created.username.as_deref(), Some("edge-user"));
    assert_eq!(created.entry_type, "STANDARD");
    assert_eq!(created.tags, tags);
    assert!(created.access_entry_arn.starts_with("arn:aws:eks:"));
    assert_eq!(
        eks::describe_access_entry(&c, cluster, principal)
            .await
            .unwrap(),
        Some(created.clone())
    );

    let again = eks::create_access_entry(
        &c,
        cluster,
        principal,
        &BTreeSet::new(),
        None,
        &BTreeMap::new(),
        &quick(),
    )
    .await
    .expect("a conflict is an answer");
    assert_eq!(again, None, "an existing entry reads as None");

    // Groups are replaced (an empty set clears them); no username keeps the current one.
    let updated = eks::update_access_entry(&c, cluster, principal, &BTreeSet::new(), None)
        .await
        .unwrap();
    assert!(updated.kubernetes_groups.is_empty());
    assert_eq!(updated.username.as_deref(), Some("edge-user"));
    let updated = eks::update_access_entry(
        &c,
        cluster,
        principal,
        &BTreeSet::from(["ops".to_owned()]),
        Some("edge-user-2"),
    )
    .await
    .unwrap();
    assert_eq!(
        updated.kubernetes_groups,
        BTreeSet::from(["ops".to_owned()])
    );
    assert_eq!(updated.username.as_deref(), Some("edge-user-2"));

    // Policy associations.
    let policies = eks::list_access_policy_arns(&c).await.unwrap();
    let view = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    let admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    assert!(
        policies.contains(view) && policies.contains(admin),
        "{policies:?}"
    );
    assert_eq!(
        eks::list_associated_access_policies(&c, cluster, principal)
            .await
            .unwrap(),
        Some(vec![])
    );
    let namespaces = AccessScope::Namespaces(BTreeSet::from(["apps".into(), "team-*".into()]));
    eks::associate_access_policy(&c, cluster, principal, view, &namespaces)
        .await
        .unwrap();
    eks::associate_access_policy(&c, cluster, principal, admin, &AccessScope::Cluster)
        .await
        .unwrap();
    let mut listed = eks::list_associated_access_policies(&c, cluster, principal)
        .await
        .unwrap()
        .unwrap();
    listed.sort_by(|a, b| a.policy_arn.cmp(&b.policy_arn));
    assert_eq!(listed.len(), 2);
    assert_eq!(
        (listed[0].policy_arn.as_str(), &listed[0].scope),
        (admin, &AccessScope::Cluster)
    );
    assert_eq!(
        (listed[1].policy_arn.as_str(), &listed[1].scope),
        (view, &namespaces)
    );
    // Associating again replaces the scope.
    eks::associate_access_policy(&c, cluster, principal, view, &AccessScope::Cluster)
        .await
        .unwrap();
    eks::disassociate_access_policy(&c, cluster, principal, admin)
        .await
        .unwrap();
    eks::disassociate_access_policy(&c, cluster, principal, admin)
        .await
        .unwrap();
    let listed = eks::list_associated_access_policies(&c, cluster, principal)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].policy_arn.as_str(), &listed[0].scope),
        (view, &AccessScope::Cluster)
    );

    eks::delete_access_entry(&c, cluster, principal)
        .await
        .unwrap();
    eks::delete_access_entry(&c, cluster, principal)
        .await
        .unwrap();
    eks::disassociate_access_policy(&c, cluster, principal, view)
        .await
        .unwrap();
    assert_eq!(
        eks::describe_access_entry(&c, cluster, principal)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        eks::list_associated_access_policies(&c, cluster, principal)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn eventual_consistency_and_throttling_are_retried_within_the_bound() {
    let _done = TestGuard;
    let _exclusive = FAULT_LOCK.write().await;
    let c = clients().await;
    struct ClearFaults;
    impl Drop for ClearFaults {
        fn drop(&mut self) {
            faults("DELETE", None);
        }
    }
    let _clear = ClearFaults;
    faults("DELETE", None);
    let tags = BTreeMap::new();
    let trust = pod_identity_trust();
    let new_role = |name: &'static str| NewRole {
        name,
        path: "/",
        description: None,
        trust_policy: &trust,
        max_session_duration: 3600,
        permissions_boundary: None,
        tags: &tags,
    };

    // IAM does not see a principal yet: retried until it does.
    faults(
        "POST",
        Some(
            r#"{"service":"iam","operation":"CreateRole","count":2,"error":{"code":"MalformedPolicyDocument","message":"Invalid principal in policy: \"AWS\":\"arn:aws:iam::000000000000:role/new\"","status":400}}"#,
        ),
    );
    iam::create_role(&c, &new_role("aws-edge-retry-1"), &quick())
        .await
        .expect("created after retries");

    // Throttling beyond the SDK's 3 attempts: our loop keeps going.
    faults(
        "POST",
        Some(
            r#"{"service":"iam","operation":"UpdateAssumeRolePolicy","count":4,"error":{"code":"Throttling"}}"#,
        ),
    );
    iam::update_assume_role_policy(&c, "aws-edge-retry-1", &trust, &quick())
        .await
        .expect("updated after throttling");

    // Any other error returns at once.
    faults(
        "POST",
        Some(
            r#"{"service":"iam","operation":"CreateRole","count":1,"error":{"code":"MalformedPolicyDocument","message":"Syntax errors in policy.","status":400}}"#,
        ),
    );
    let started = std::time::Instant::now();
    let err = iam::create_role(&c, &new_role("aws-edge-retry-2"), &quick())
        .await
        .unwrap_err();
    assert_eq!(err.code, "MalformedPolicyDocument");
    assert!(err.message.contains("Syntax errors"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));

    // Never visible: gives up after the bound with the last error.
    faults(
        "POST",
        Some(
            r#"{"service":"iam","operation":"CreateRole","count":-1,"error":{"code":"MalformedPolicyDocument","message":"Invalid principal in policy","status":400}}"#,
        ),
    );
    let bound = RetryPolicy {
        timeout: Duration::from_millis(800),
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
    };
    let started = std::time::Instant::now();
    let err = iam::create_role(&c, &new_role("aws-edge-retry-2"), &bound)
        .await
        .unwrap_err();
    assert_eq!(err.code, "MalformedPolicyDocument");
    assert!(err.message.contains("Invalid principal in policy"), "{err}");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(800) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    faults("DELETE", None);

    // EKS does not see just-created roles for 2 s: both creates retry until it does.
    let cluster = "aws-edge-propagation";
    make_cluster(cluster, Some("API")).await;
    faults("POST", Some(r#"{"iam_propagation_seconds":2}"#));
    let entry_role = make_role(&c, "aws-edge-fresh-entry").await;
    let pod_role = make_role(&c, "aws-edge-fresh-pod").await;
    let started = std::time::Instant::now();
    eks::create_access_entry(
        &c,
        cluster,
        &entry_role.arn,
        &BTreeSet::new(),
        None,
        &BTreeMap::new(),
        &quick(),
    )
    .await
    .expect("access entry after propagation");
    eks::create_pod_identity_association(
        &c,
        cluster,
        "apps",
        "fresh",
        &plain(&pod_role.arn),
        &BTreeMap::new(),
        &quick(),
    )
    .await
    .expect("association after propagation");
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "no retry happened? {:?}",
        started.elapsed()
    );
    // A principal that never exists is not retried forever: the bound applies.
    let err = eks::create_access_entry(
        &c,
        cluster,
        &role_arn("/aws-edge-never"),
        &BTreeSet::new(),
        None,
        &BTreeMap::new(),
        &bound,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "InvalidParameterException");
    assert!(err.message.contains("principalArn is invalid"), "{err}");
}

/// Association settings with only a role (no target role, session tags on,
/// no session policy).
fn plain(role_arn: &str) -> eks::AssociationSettings<'_> {
    eks::AssociationSettings {
        role_arn,
        target_role_arn: None,
        disable_session_tags: false,
        policy: None,
    }
}
