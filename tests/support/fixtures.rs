//! AWS-side fixtures and assertions for acceptance tests, through the Rust
//! SDK against the testbed: clusters in each authentication mode, with or
//! without a registered OIDC provider and the Pod Identity agent add-on.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use aws_credential_types::Credentials;
use aws_sdk_eks::types::{AuthenticationMode, CreateAccessConfigRequest, VpcConfigRequest};

use super::testbed;

/// SDK clients for the testbed, on a runtime of their own so tests stay sync.
pub struct Aws {
    pub rt: tokio::runtime::Runtime,
    pub iam: aws_sdk_iam::Client,
    pub eks: aws_sdk_eks::Client,
}

pub fn aws() -> &'static Aws {
    static AWS: OnceLock<Aws> = OnceLock::new();
    AWS.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let endpoint = testbed().endpoint.clone();
        let conf = rt.block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .region(aws_config::Region::new("us-east-1"))
                .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
                .endpoint_url(endpoint)
                .load(),
        );
        Aws {
            iam: aws_sdk_iam::Client::new(&conf),
            eks: aws_sdk_eks::Client::new(&conf),
            rt,
        }
    })
}

pub struct ClusterSpec {
    pub name: String,
    pub mode: &'static str,
    pub oidc_registered: bool,
    pub pod_identity_agent: bool,
}

/// Creates a cluster (and what the spec asks for) and returns its OIDC issuer.
pub fn create_cluster(spec: &ClusterSpec) -> String {
    let a = aws();
    a.rt.block_on(async {
        let mode = AuthenticationMode::from(spec.mode);
        let out = a
            .eks
            .create_cluster()
            .name(&spec.name)
            .role_arn("arn:aws:iam::000000000000:role/eks-cluster")
            .resources_vpc_config(
                VpcConfigRequest::builder()
                    .subnet_ids("subnet-1")
                    .subnet_ids("subnet-2")
                    .build(),
            )
            .access_config(
                CreateAccessConfigRequest::builder()
                    .authentication_mode(mode)
                    .bootstrap_cluster_creator_admin_permissions(spec.mode == "CONFIG_MAP")
                    .build(),
            )
            .send()
            .await
            .expect("create cluster");
        let issuer = out
            .cluster()
            .and_then(|c| c.identity())
            .and_then(|i| i.oidc())
            .and_then(|o| o.issuer())
            .expect("cluster issuer")
            .to_owned();
        if spec.oidc_registered {
            a.iam
                .create_open_id_connect_provider()
                .url(&issuer)
                .client_id_list("sts.amazonaws.com")
                .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
                .send()
                .await
                .expect("create OIDC provider");
        }
        if spec.pod_identity_agent {
            a.eks
                .create_addon()
                .cluster_name(&spec.name)
                .addon_name("eks-pod-identity-agent")
                .send()
                .await
                .expect("create add-on");
        }
        issuer
    })
}

/// A cluster name unique to this test process and `tag`.
pub fn unique(tag: &str) -> String {
    format!("{tag}-{}", std::process::id())
}

pub fn role_exists(name: &str) -> bool {
    let a = aws();
    a.rt.block_on(async {
        match a.iam.get_role().role_name(name).send().await {
            Ok(_) => true,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_no_such_entity_exception()) =>
            {
                false
            }
            Err(e) => panic!("get role {name}: {e:?}"),
        }
    })
}

/// The trust policy of a role, URL-decoded and parsed.
pub fn trust_policy(name: &str) -> serde_json::Value {
    let a = aws();
    let doc = a.rt.block_on(async {
        let out = a
            .iam
            .get_role()
            .role_name(name)
            .send()
            .await
            .expect("get role");
        out.role()
            .and_then(|r| r.assume_role_policy_document())
            .expect("trust policy")
            .to_owned()
    });
    let decoded = percent_decode(&doc);
    serde_json::from_str(&decoded).unwrap_or_else(|e| panic!("trust policy JSON {decoded}: {e}"))
}

pub fn attached_policies(name: &str) -> Vec<String> {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .iam
            .list_attached_role_policies()
            .role_name(name)
            .send()
            .await
            .expect("list attached");
        let mut arns: Vec<String> = out
            .attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect();
        arns.sort();
        arns
    })
}

pub fn max_session_duration(name: &str) -> i32 {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .iam
            .get_role()
            .role_name(name)
            .send()
            .await
            .expect("get role");
        out.role()
            .and_then(|r| r.max_session_duration())
            .unwrap_or_default()
    })
}

/// Pod Identity associations on a cluster as (namespace, service account, role ARN, target role ARN).
pub fn associations(cluster: &str) -> Vec<(String, String, String, Option<String>)> {
    let a = aws();
    a.rt.block_on(async {
        let list = a
            .eks
            .list_pod_identity_associations()
            .cluster_name(cluster)
            .send()
            .await
            .expect("list associations");
        let mut out = Vec::new();
        for s in list.associations() {
            let id = s.association_id().unwrap_or_default();
            let d = a
                .eks
                .describe_pod_identity_association()
                .cluster_name(cluster)
                .association_id(id)
                .send()
                .await
                .expect("describe");
            if let Some(x) = d.association() {
                out.push((
                    x.namespace().unwrap_or_default().to_owned(),
                    x.service_account().unwrap_or_default().to_owned(),
                    x.role_arn().unwrap_or_default().to_owned(),
                    x.target_role_arn().map(str::to_owned),
                ));
            }
        }
        out.sort();
        out
    })
}

/// Out-of-band edits, as someone with console access would make them.
pub fn put_trust_policy(name: &str, doc: &str) {
    let a = aws();
    a.rt.block_on(async {
        a.iam
            .update_assume_role_policy()
            .role_name(name)
            .policy_document(doc)
            .send()
            .await
            .expect("update trust");
    });
}

pub fn detach_policy(name: &str, arn: &str) {
    let a = aws();
    a.rt.block_on(async {
        a.iam
            .detach_role_policy()
            .role_name(name)
            .policy_arn(arn)
            .send()
            .await
            .expect("detach");
    });
}

/// Creates a plain role (e.g. a target role for the two-role pattern).
pub fn create_role(name: &str) -> String {
    let a = aws();
    a.rt.block_on(async {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;
        let out = a.iam.create_role().role_name(name).assume_role_policy_document(trust).send().await.expect("create role");
        out.role().map(|r| r.arn().to_owned()).expect("role arn")
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Fault injection on the testbed (`/_eksrole/faults`).
pub fn add_fault(rule: serde_json::Value) {
    let url = format!("{}/_eksrole/faults", testbed().endpoint);
    let out = std::process::Command::new("curl")
        .args([
            "-sf",
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "-d",
            &rule.to_string(),
            &url,
        ])
        .output()
        .expect("curl");
    assert!(
        out.status.success(),
        "adding fault {rule} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn clear_faults() {
    let url = format!("{}/_eksrole/faults", testbed().endpoint);
    let _ = std::process::Command::new("curl")
        .args(["-sf", "-X", "DELETE", &url])
        .output();
}

/// An inline policy of a role, parsed, or `None` when the role has no such policy.
pub fn inline_policy(role: &str, name: &str) -> Option<serde_json::Value> {
    let a = aws();
    let doc = a.rt.block_on(async {
        match a
            .iam
            .get_role_policy()
            .role_name(role)
            .policy_name(name)
            .send()
            .await
        {
            Ok(out) => Some(out.policy_document().to_owned()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_no_such_entity_exception()) =>
            {
                None
            }
            Err(e) => panic!("get role policy {role}/{name}: {e:?}"),
        }
    })?;
    let decoded = percent_decode(&doc);
    Some(serde_json::from_str(&decoded).unwrap_or_else(|e| panic!("policy JSON {decoded}: {e}")))
}

/// Registers an IAM OIDC provider (e.g. a CI system's) and returns its ARN.
pub fn create_oidc_provider(url: &str) -> String {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .iam
            .create_open_id_connect_provider()
            .url(url)
            .client_id_list("sts.amazonaws.com")
            .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
            .send()
            .await;
        match out {
            Ok(o) => o
                .open_id_connect_provider_arn()
                .expect("provider arn")
                .to_owned(),
            // Another test of this binary registered it first.
            Err(_) => format!(
                "arn:aws:iam::000000000000:oidc-provider/{}",
                url.trim_start_matches("https://")
            ),
        }
    })
}

/// An access entry as (type, groups, username, entry ARN), or `None`.
pub fn access_entry(
    cluster: &str,
    principal_arn: &str,
) -> Option<(String, Vec<String>, Option<String>, String)> {
    let a = aws();
    a.rt.block_on(async {
        match a
            .eks
            .describe_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal_arn)
            .send()
            .await
        {
            Ok(out) => out.access_entry().map(|e| {
                let mut groups = e.kubernetes_groups().to_vec();
                groups.sort();
                (
                    e.r#type().unwrap_or_default().to_owned(),
                    groups,
                    e.username().map(str::to_owned),
                    e.access_entry_arn().unwrap_or_default().to_owned(),
                )
            }),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                None
            }
            Err(e) => panic!("describe access entry: {e:?}"),
        }
    })
}

/// Policy associations of an entry as (policy ARN, scope type, sorted namespaces).
pub fn associated_policies(
    cluster: &str,
    principal_arn: &str,
) -> Vec<(String, String, Vec<String>)> {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .eks
            .list_associated_access_policies()
            .cluster_name(cluster)
            .principal_arn(principal_arn)
            .send()
            .await
            .expect("list associated access policies");
        let mut list: Vec<(String, String, Vec<String>)> = out
            .associated_access_policies()
            .iter()
            .map(|p| {
                let scope = p.access_scope();
                let mut ns: Vec<String> =
                    scope.map(|s| s.namespaces().to_vec()).unwrap_or_default();
                ns.sort();
                (
                    p.policy_arn().unwrap_or_default().to_owned(),
                    scope
                        .and_then(|s| s.r#type())
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default(),
                    ns,
                )
            })
            .collect();
        list.sort();
        list
    })
}

/// Out-of-band edits of an access entry.
pub fn set_entry_groups(cluster: &str, principal_arn: &str, groups: &[&str]) {
    let a = aws();
    a.rt.block_on(async {
        let mut req = a
            .eks
            .update_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal_arn);
        for g in groups {
            req = req.kubernetes_groups(*g);
        }
        req.send().await.expect("update access entry");
    });
}

pub fn disassociate(cluster: &str, principal_arn: &str, policy_arn: &str) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .disassociate_access_policy()
            .cluster_name(cluster)
            .principal_arn(principal_arn)
            .policy_arn(policy_arn)
            .send()
            .await
            .expect("disassociate");
    });
}

pub fn create_user(name: &str) -> String {
    create_user_at(name, "/")
}

/// An IAM user with a path (`/oncall/`); returns its ARN.
pub fn create_user_at(name: &str, path: &str) -> String {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .iam
            .create_user()
            .user_name(name)
            .path(path)
            .send()
            .await
            .expect("create user");
        out.user().map(|u| u.arn().to_owned()).expect("user arn")
    })
}

/// Access keys for an IAM user, as (access key ID, secret).
pub fn create_access_key(user: &str) -> (String, String) {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .iam
            .create_access_key()
            .user_name(user)
            .send()
            .await
            .expect("create access key");
        let key = out.access_key().expect("access key");
        (
            key.access_key_id().to_owned(),
            key.secret_access_key().to_owned(),
        )
    })
}

/// `sts:AssumeRole` with a user's keys and MFA and source identity set, as the
/// break-glass command does; returns the assumed role ARN.
pub fn assume_role_as(
    keys: &(String, String),
    role_arn: &str,
    mfa_serial: &str,
    source_identity: &str,
) -> Result<String, String> {
    let a = aws();
    a.rt.block_on(async {
        let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                keys.0.clone(),
                keys.1.clone(),
                None,
                None,
                "user",
            ))
            .endpoint_url(testbed().endpoint.clone())
            .load()
            .await;
        let sts = aws_sdk_sts::Client::new(&conf);
        let out = sts
            .assume_role()
            .role_arn(role_arn)
            .role_session_name("breakglass-test")
            .serial_number(mfa_serial)
            .token_code("123456")
            .source_identity(source_identity)
            .send()
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(out
            .assumed_role_user()
            .map(|u| u.arn().to_owned())
            .unwrap_or_default())
    })
}

/// Deletes a role out of band, as someone with console access would: its
/// inline and managed policies first, as IAM requires.
pub fn delete_role(name: &str) {
    let a = aws();
    a.rt.block_on(async {
        let inline = a
            .iam
            .list_role_policies()
            .role_name(name)
            .send()
            .await
            .expect("list inline");
        for p in inline.policy_names() {
            a.iam
                .delete_role_policy()
                .role_name(name)
                .policy_name(p)
                .send()
                .await
                .expect("delete inline");
        }
        let attached = a
            .iam
            .list_attached_role_policies()
            .role_name(name)
            .send()
            .await
            .expect("list attached");
        for p in attached.attached_policies() {
            if let Some(arn) = p.policy_arn() {
                a.iam
                    .detach_role_policy()
                    .role_name(name)
                    .policy_arn(arn)
                    .send()
                    .await
                    .expect("detach");
            }
        }
        a.iam
            .delete_role()
            .role_name(name)
            .send()
            .await
            .expect("delete role");
    });
}

/// Deletes a cluster out of band (its access entries, associations and
/// add-ons go with it), as someone tearing down the cluster first would.
pub fn delete_cluster(name: &str) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .delete_cluster()
            .name(name)
            .send()
            .await
            .expect("delete cluster");
    });
}

/// `seconds` from now as an RFC 3339 UTC time (whole seconds).
pub fn rfc3339_in(seconds: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    at.replace_nanosecond(0)
        .expect("whole seconds")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339")
}

/// The tags of an EKS object (access entry, Pod Identity association) by ARN.
pub fn eks_tags(arn: &str) -> BTreeMap<String, String> {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .eks
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .expect("list EKS tags");
        out.tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    })
}

/// Removes tags from an EKS object, as someone with console access would.
pub fn untag_eks(arn: &str, keys: &[String]) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(keys.to_vec()))
            .send()
            .await
            .expect("untag EKS object");
    });
}

/// The ARN of the Pod Identity association of a service account.
pub fn association_arn(cluster: &str, namespace: &str, sa: &str) -> String {
    let a = aws();
    a.rt.block_on(async {
        let list = a
            .eks
            .list_pod_identity_associations()
            .cluster_name(cluster)
            .namespace(namespace)
            .service_account(sa)
            .send()
            .await
            .expect("list associations");
        list.associations()
            .first()
            .and_then(|s| s.association_arn())
            .map(str::to_owned)
            .expect("association ARN")
    })
}

/// A role entered through SAML federation, as an IdP or IAM Identity Center
/// sets one up: a SAML provider (`provider`) and a role trusting it with
/// `sts:AssumeRoleWithSAML`. Returns the role ARN.
pub fn create_saml_role(provider: &str, role: &str) -> String {
    let a = aws();
    a.rt.block_on(async {
        // IAM wants 1,000 characters or more of metadata.
        let metadata = format!(
            "<?xml version=\"1.0\"?><md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com/{provider}\">\
             <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp.example.com/sso\"/>\
             </md:IDPSSODescriptor></md:EntityDescriptor><!--{}-->",
            "x".repeat(1000)
        );
        let out = a
            .iam
            .create_saml_provider()
            .name(provider)
            .saml_metadata_document(metadata)
            .send()
            .await
            .expect("create SAML provider");
        let provider_arn = out.saml_provider_arn().expect("provider arn").to_owned();
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider_arn}"}},"Action":"sts:AssumeRoleWithSAML","Condition":{{"StringEquals":{{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}}}}]}}"#
        );
        let out = a
            .iam
            .create_role()
            .role_name(role)
            .assume_role_policy_document(trust)
            .send()
            .await
            .expect("create SAML role");
        out.role().map(|r| r.arn().to_owned()).expect("role arn")
    })
}

/// Turns a Pod Identity association's session tags off (or on) out of band.
pub fn set_disable_session_tags(cluster: &str, association_id: &str, disable: bool) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .update_pod_identity_association()
            .cluster_name(cluster)
            .association_id(association_id)
            .disable_session_tags(disable)
            .send()
            .await
            .expect("update association");
    });
}

/// A Pod Identity association's `disableSessionTags` (absent reads as false).
pub fn disable_session_tags(cluster: &str, association_id: &str) -> bool {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .eks
            .describe_pod_identity_association()
            .cluster_name(cluster)
            .association_id(association_id)
            .send()
            .await
            .expect("describe association");
        out.association()
            .and_then(|x| x.disable_session_tags())
            .unwrap_or(false)
    })
}
