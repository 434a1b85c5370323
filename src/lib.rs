//! terraform-provider-eksrole: a Terraform/OpenTofu provider whose resources are
//! intents (a pod's AWS identity, a team's cluster access, break-glass access),
//! each expanded into the IAM and EKS objects it needs and checked at plan time.
//!
//! Code map (see ARCHITECTURE.md):
//! - [`plugin`]: process start, go-plugin handshake, AutoMTLS, controller, logging.
//!   The only module that touches sockets and TLS.
//! - [`tfplugin`]: generated tfplugin5 code, cty types and values, their msgpack
//!   and JSON encodings, schemas, attribute paths and diagnostics. Knows nothing of AWS.
//! - [`provider`]: the provider configuration and one thin handler per RPC.
//! - [`aws`]: every AWS SDK call, retries and not-found handling.
//! - [`arn`]: ARNs, IAM principal ARNs and IAM's percent-encoding (a pure leaf).
//! - [`review`]: the access review of a cluster (`eksrole_cluster_access`).

pub mod apply;
pub mod arn;
pub mod aws;
pub mod intent;
pub mod plugin;
pub mod provider;
pub mod review;
pub mod tfplugin;
pub mod validate;
