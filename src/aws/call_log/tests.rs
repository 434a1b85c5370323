//! Tests of the call log: what a target is made of, which operations change
//! something, error outcomes, and a real SDK client (with a canned HTTP
//! answer) logging at `trace` through the provider's hclog formatter: one
//! line per call, and no external ID, secret key or session token anywhere.

use std::sync::{Arc, Mutex};

use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

use super::*;

const EXTERNAL_ID: &str = "ext-id-Zq81-never-logged";
const SECRET_KEY: &str = "secret-key-Wm27-never-logged";
const SESSION_TOKEN: &str = "session-token-Kp55-never-logged";

#[test]
fn targets_name_what_a_call_acts_on_and_never_a_document() {
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName=team-dev&Path=%2F\
         &AssumeRolePolicyDocument=%7B%22Condition%22%3A%7B%22StringEquals%22%3A%7B%22sts%3AExternalId%22%3A%22{EXTERNAL_ID}%22%7D%7D%7D\
         &Tags.member.1.Key=eksrole%3Aintent&Tags.member.1.Value=team"
    );
    assert_eq!(target_of("/", body.as_bytes()), "RoleName=team-dev");
    assert_eq!(
        target_of(
            "https://iam.amazonaws.com/",
            b"Action=AttachRolePolicy&RoleName=r&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FX"
        ),
        "RoleName=r PolicyArn=arn:aws:iam::aws:policy/X"
    );
    let eks = r#"{"namespace":"payments","serviceAccount":"api","roleArn":"arn:aws:iam::1:role/r","tags":{"k":"v"}}"#;
    assert_eq!(
        target_of("/clusters/prod/pod-identity-associations", eks.as_bytes()),
        "/clusters/prod/pod-identity-associations namespace=payments serviceAccount=api roleArn=arn:aws:iam::1:role/r"
    );
    assert_eq!(
        target_of(
            "http://127.0.0.1:4566/clusters/prod/access-entries/arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr?maxResults=100",
            b""
        ),
        "/clusters/prod/access-entries/arn:aws:iam::1:role/r"
    );
    assert_eq!(
        target_of("/", b"Action=GetCallerIdentity&Version=2011-06-15"),
        ""
    );
}

#[test]
fn reads_are_get_list_and_describe() {
    for read in ["GetRole", "ListAttachedRolePolicies", "DescribeCluster"] {
        assert!(!changes_something(read), "{read}");
    }
    for change in [
        "CreateRole",
        "UpdateAssumeRolePolicy",
        "TagRole",
        "DeleteRole",
        "CreatePodIdentityAssociation",
        "AssociateAccessPolicy",
    ] {
        assert!(changes_something(change), "{change}");
    }
}

#[test]
fn error_codes_come_from_the_header_or_the_error_document_only() {
    let xml = b"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name x cannot be found.</Message></Error></ErrorResponse>";
    assert_eq!(xml_error_code(xml).as_deref(), Some("NoSuchEntity"));
    assert_eq!(xml_error_code(b"{}"), None);
    assert!(is_error_code("Sender.Throttling"));
    assert!(!is_error_code("not a code"));
    assert!(!is_error_code(""));
    let mut response = Response::new(StatusCode::try_from(404).unwrap(), SdkBody::from(&xml[..]));
    assert_eq!(failure_of(&response), "NoSuchEntity (HTTP 404)");
    response.headers_mut().insert(
        "x-amzn-ErrorType",
        "ResourceNotFoundException:http://internal.amazon.com/coral/",
    );
    assert_eq!(
        failure_of(&response),
        "ResourceNotFoundException (HTTP 404)"
    );
    let bare = Response::new(StatusCode::try_from(500).unwrap(), SdkBody::empty());
    assert_eq!(failure_of(&bare), "HTTP 500");
}

/// Answers GetRole with a trust policy holding [`EXTERNAL_ID`], and every
/// other IAM call with an error document.
#[derive(Debug)]
struct CannedIam;

impl HttpConnector for CannedIam {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned();
        let (status, text) = if body.contains("Action=GetRole&") {
            (200, format!(
                "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult><Role>\
                 <Path>/</Path><RoleName>team-dev</RoleName><RoleId>AROAEXAMPLE</RoleId>\
                 <Arn>arn:aws:iam::123456789012:role/team-dev</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>\
                 <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Condition%22%3A%7B%22StringEquals%22%3A%7B%22sts%3AExternalId%22%3A%22{EXTERNAL_ID}%22%7D%7D%7D%5D%7D</AssumeRolePolicyDocument>\
                 </Role></GetRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetRoleResponse>"
            ))
        } else {
            (409, "<ErrorResponse><Error><Type>Sender</Type><Code>EntityAlreadyExists</Code><Message>Role with name team-dev already exists.</Message></Error><RequestId>r-2</RequestId></ErrorResponse>".to_owned())
        };
        let response = Response::new(
            StatusCode::try_from(status).unwrap_or_else(|_| unreachable!()),
            SdkBody::from(text),
        );
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// Every event, formatted as the provider writes it.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

impl<S: Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = crate::plugin::log::format_line(event.metadata(), |v| event.record(v));
        if let Ok(mut lines) = self.0.lock() {
            lines.push(line);
        }
    }
}

#[test]
fn sdk_trace_logs_carry_no_secret_and_each_call_logs_one_line() {
    let client = aws_sdk_iam::Client::from_conf(
        aws_sdk_iam::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                SECRET_KEY,
                Some(SESSION_TOKEN.to_owned()),
                None,
                "test",
            ))
            .http_client(http_client_fn(|_, _| SharedHttpConnector::new(CannedIam)))
            .interceptor(CallLog)
            .build(),
    );
    let document = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::123456789012:root"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"{EXTERNAL_ID}"}}}}}}]}}"#
    );
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let role = client.get_role().role_name("team-dev").send().await;
            assert!(role.is_ok(), "{role:?}");
            let created = client
                .create_role()
                .role_name("team-dev")
                .assume_role_policy_document(&document)
                .send()
                .await;
            assert!(created.is_err());
        });
    });
    let lines = capture.0.lock().map(|l| l.clone()).unwrap_or_default();
    // The SDK did log its requests and responses at trace: the screen had work.
    assert!(lines.len() > 10, "{lines:#?}");
    for line in &lines {
        for secret in [EXTERNAL_ID, SECRET_KEY, SESSION_TOKEN] {
            assert!(!line.contains(secret), "{secret} logged: {line}");
        }
    }
    assert!(lines
        .iter()
        .any(|l| l.contains(crate::plugin::log::WITHHELD)));
    assert!(lines
        .iter()
        .any(|l| l.contains(crate::plugin::log::WITHHELD)));
    let calls: Vec<serde_json::Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|l| {
            l["@message"]
                .as_str()
                .is_some_and(|m| m.starts_with("AWS call "))
        })
        .collect();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0]["@message"], "AWS call iam:GetRole: ok");
    assert_eq!(calls[0]["target"], "RoleName=team-dev");
    assert_eq!(calls[0]["changes"], false);
    assert_eq!(calls[0]["retries"], 0);
    assert_eq!(
        calls[1]["@message"],
        "AWS call iam:CreateRole: EntityAlreadyExists (HTTP 409)"
    );
    assert_eq!(calls[1]["operation"], "CreateRole");
    assert_eq!(calls[1]["service"], "iam");
    assert_eq!(calls[1]["changes"], true);
    assert!(calls[1]["duration_ms"].is_u64());
}
