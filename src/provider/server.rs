//! The tfplugin5 `Provider` service: one thin handler per RPC.

use std::sync::Arc;

use tokio::sync::RwLock;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::aws::AwsClients;
use crate::tfplugin::proto::{self, provider_server::Provider};
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics};

use super::context::{aws_diagnostic, Configured};
use super::data_sources::{self, DataSource};
use super::resources::{self, Resource};
use super::{config, wire};

type RpcResult<T> = Result<Response<T>, Status>;

pub struct ProviderService {
    data_sources: Vec<Box<dyn DataSource>>,
    resources: Vec<Box<dyn Resource>>,
    configured: RwLock<Option<Arc<Configured>>>,
    stop: CancellationToken,
}

impl Default for ProviderService {
    fn default() -> Self {
        Self::new()
    }
}

impl ProviderService {
    pub fn new() -> Self {
        ProviderService {
            data_sources: data_sources::all(),
            resources: resources::all(),
            configured: RwLock::new(None),
            stop: CancellationToken::new(),
        }
    }

    fn data_source(&self, type_name: &str) -> Result<&dyn DataSource, Diagnostics> {
        self.data_sources
            .iter()
            .find(|d| d.type_name() == type_name)
            .map(AsRef::as_ref)
            .ok_or_else(|| unknown_type("data source", type_name))
    }

    fn resource(&self, type_name: &str) -> Result<&dyn Resource, Diagnostics> {
        self.resources
            .iter()
            .find(|r| r.type_name() == type_name)
            .map(AsRef::as_ref)
            .ok_or_else(|| unknown_type("resource", type_name))
    }

    async fn configured(&self) -> Result<Arc<Configured>, Diagnostics> {
        self.configured.read().await.clone().ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "Terraform called the provider before configuring it. This is a bug; please report it.",
            )
            .into()
        })
    }

    async fn configure_inner(&self, req: proto::configure::Request) -> Diagnostics {
        let ty = config::schema().value_type();
        let value = match wire::decode(req.config.as_ref(), &ty, "provider configuration") {
            Ok(v) => v,
            Err(d) => return d.into(),
        };
        let (settings, mut diags) = config::parse(&value);
        if diags.has_errors() {
            return diags;
        }
        let clients = match AwsClients::connect(&settings.aws).await {
            Ok(c) => c,
            Err(e) => {
                let d = aws_diagnostic("Could not configure AWS access", &e);
                diags.push(match e.attribute() {
                    Some(attribute) => d.at(AttributePath::root(attribute)),
                    None => d,
                });
                return diags;
            }
        };
        if settings.aws.region.is_none() {
            // The region came from AWS_REGION or the profile: the same rules,
            // on the provider block since no attribute holds it.
            if let Err(e) = config::check_region(clients.region(), &settings) {
                diags.push(Diagnostic::error(
                    "Invalid region",
                    format!("The region from AWS_REGION or the profile's `region`: {e}"),
                ));
                return diags;
            }
        }
        tracing::debug!(region = %clients.region(), plan_time_checks = settings.plan_time_checks, "provider configured");
        let check_now = settings.plan_time_checks;
        let configured = Arc::new(Configured::new(settings, clients, self.stop.clone()));
        if check_now {
            if let Err(d) = configured.identity().await {
                diags.push(d);
                return diags;
            }
        }
        *self.configured.write().await = Some(configured);
        diags
    }
}

fn unknown_type(kind: &str, type_name: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} named {type_name:?}. Check the spelling, or upgrade the provider."),
    )
    .into()
}

fn split<T>(result: Result<T, Diagnostics>) -> (Option<T>, Diagnostics) {
    match result {
        Ok(v) => (Some(v), Diagnostics::default()),
        Err(d) => (None, d),
    }
}

fn server_capabilities() -> proto::ServerCapabilities {
    proto::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
    }
}

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<proto::get_metadata::Request>,
    ) -> RpcResult<proto::get_metadata::Response> {
        Ok(Response::new(proto::get_metadata::Response {
            server_capabilities: Some(server_capabilities()),
            diagnostics: vec![],
            data_sources: self
                .data_sources
                .iter()
                .map(|d| proto::get_metadata::DataSourceMetadata {
                    type_name: d.type_name().to_owned(),
                })
                .collect(),
            resources: self
                .resources
                .iter()
                .map(|r| proto::get_metadata::ResourceMetadata {
                    type_name: r.type_name().to_owned(),
                })
                .collect(),
        }))
    }

    async fn get_schema(
        &self,
        _: Request<proto::get_provider_schema::Request>,
    ) -> RpcResult<proto::get_provider_schema::Response> {
        Ok(Response::new(proto::get_provider_schema::Response {
            provider: Some(config::schema().to_proto()),
            resource_schemas: self
                .resources
                .iter()
                .map(|r| (r.type_name().to_owned(), r.schema().to_proto()))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|d| (d.type_name().to_owned(), d.schema().to_proto()))
                .collect(),
            diagnostics: vec![],
            provider_meta: None,
            server_capabilities: Some(server_capabilities()),
        }))
    }

    async fn prepare_provider_config(
        &self,
        req: Request<proto::prepare_provider_config::Request>,
    ) -> RpcResult<proto::prepare_provider_config::Response> {
        let req = req.into_inner();
        let ty = config::schema().value_type();
        let diags = match wire::decode(req.config.as_ref(), &ty, "provider configuration") {
            Ok(value) => config::parse(&value).1,
            Err(d) => d.into(),
        };
        Ok(Response::new(proto::prepare_provider_config::Response {
            prepared_config: req.config,
            diagnostics: diags.to_proto(),
        }))
    }

    async fn validate_resource_type_config(
        &self,
        req: Request<proto::validate_resource_type_config::Request>,
    ) -> RpcResult<proto::validate_resource_type_config::Response> {
        let req = req.into_inner();
        let diags = match self.resource(&req.type_name) {
            Ok(r) => match wire::decode(
                req.config.as_ref(),
                &r.schema().value_type(),
                "resource configuration",
            ) {
                Ok(value) => r.validate(&value),
                Err(d) => d.into(),
            },
            Err(d) => d,
        };
        Ok(Response::new(
            proto::validate_resource_type_config::Response {
                diagnostics: diags.to_proto(),
            },
        ))
    }

    async fn validate_data_source_config(
        &self,
        req: Request<proto::validate_data_source_config::Request>,
    ) -> RpcResult<proto::validate_data_source_config::Response> {
        let req = req.into_inner();
        let diags = match self.data_source(&req.type_name) {
            Ok(ds) => match wire::decode(
                req.config.as_ref(),
                &ds.schema().value_type(),
                "data source configuration",
            ) {
                Ok(value) => ds.validate(&value),
                Err(d) => d.into(),
            },
            Err(d) => d,
        };
        Ok(Response::new(
            proto::validate_data_source_config::Response {
                diagnostics: diags.to_proto(),
            },
        ))
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<proto::upgrade_resource_state::Request>,
    ) -> RpcResult<proto::upgrade_resource_state::Response> {
        let req = req.into_inner();
        let result = (|| {
            let r = self.resource(&req.type_name)?;
            let schema = r.schema();
            if req.version > schema.version {
                return Err(Diagnostic::error(
                    "State from a newer provider",
                    format!(
                        "This state was written by a provider with schema version {} (this one has {}). Upgrade the provider.",
                        req.version, schema.version
                    ),
                )
                .into());
            }
            let ty = schema.value_type();
            let raw = req
                .raw_state
                .as_ref()
                .map(|r| r.json.as_slice())
                .unwrap_or_default();
            let value = if raw.is_empty() {
                crate::tfplugin::Value::Null
            } else {
                crate::tfplugin::json::decode_lenient(raw, &ty).map_err(|e| {
                    Diagnostic::error(
                        "Could not read the stored state",
                        format!(
                            "The state stored for this resource does not match the schema: {e}"
                        ),
                    )
                })?
            };
            Ok::<_, Diagnostics>(wire::encode(&value, &ty, "upgraded state")?)
        })();
        let (upgraded_state, diags) = split(result);
        Ok(Response::new(proto::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: diags.to_proto(),
        }))
    }

    async fn configure(
        &self,
        req: Request<proto::configure::Request>,
    ) -> RpcResult<proto::configure::Response> {
        let diags = self.configure_inner(req.into_inner()).await;
        Ok(Response::new(proto::configure::Response {
            diagnostics: diags.to_proto(),
        }))
    }

    async fn read_resource(
        &self,
        req: Request<proto::read_resource::Request>,
    ) -> RpcResult<proto::read_resource::Response> {
        let req = req.into_inner();
        let result = async {
            let r = self.resource(&req.type_name)?;
            let ty = r.schema().value_type();
            let state = wire::decode(req.current_state.as_ref(), &ty, "stored state")?;
            if state.is_null() {
                return Ok(wire::encode(&state, &ty, "state")?);
            }
            let provider = self.configured().await?;
            let fresh = r.read(&provider, &state).await?;
            Ok::<_, Diagnostics>(wire::encode(&fresh, &ty, "refreshed state")?)
        }
        .await;
        let (new_state, diags) = split(result);
        Ok(Response::new(proto::read_resource::Response {
            new_state,
            diagnostics: diags.to_proto(),
            private: req.private,
        }))
    }

    async fn plan_resource_change(
        &self,
        req: Request<proto::plan_resource_change::Request>,
    ) -> RpcResult<proto::plan_resource_change::Response> {
        let req = req.into_inner();
        let result = async {
            let r = self.resource(&req.type_name)?;
            let ty = r.schema().value_type();
            let prior = wire::decode(req.prior_state.as_ref(), &ty, "prior state")?;
            let proposed = wire::decode(req.proposed_new_state.as_ref(), &ty, "proposed state")?;
            if proposed.is_null() {
                // Destroy: the planned state is null.
                return Ok((
                    wire::encode(&proposed, &ty, "planned state")?,
                    vec![],
                    vec![],
                    Diagnostics::default(),
                ));
            }
            let config = wire::decode(req.config.as_ref(), &ty, "configuration")?;
            let provider = self.configured().await?;
            let planned = r
                .plan(&provider, &prior, &req.prior_private, &proposed, &config)
                .await;
            let planned = resources::once_per_plan(planned, &prior, &req.prior_private);
            if planned.diagnostics.has_errors() {
                return Err(planned.diagnostics);
            }
            let state = wire::encode(&planned.state, &ty, "planned state")?;
            Ok::<_, Diagnostics>((
                state,
                planned.requires_replace,
                planned.private,
                planned.diagnostics,
            ))
        }
        .await;
        let (planned_state, requires_replace, planned_private, diags) = match result {
            Ok((s, rr, p, d)) => (Some(s), rr, p, d),
            Err(d) => (None, vec![], vec![], d),
        };
        Ok(Response::new(proto::plan_resource_change::Response {
            planned_state,
            requires_replace: requires_replace.iter().map(|p| p.to_proto()).collect(),
            planned_private,
            diagnostics: diags.to_proto(),
            legacy_type_system: false,
        }))
    }

    async fn apply_resource_change(
        &self,
        req: Request<proto::apply_resource_change::Request>,
    ) -> RpcResult<proto::apply_resource_change::Response> {
        let req = req.into_inner();
        let result = async {
            let r = self.resource(&req.type_name)?;
            let ty = r.schema().value_type();
            let prior = wire::decode(req.prior_state.as_ref(), &ty, "prior state")?;
            let planned = wire::decode(req.planned_state.as_ref(), &ty, "planned state")?;
            let provider = self.configured().await?;
            if planned.is_null() {
                let diags = r.delete(&provider, &prior).await;
                // A failed delete keeps the prior state so nothing is forgotten.
                let state = if diags.has_errors() {
                    prior
                } else {
                    crate::tfplugin::Value::Null
                };
                return Ok::<_, Diagnostics>((wire::encode(&state, &ty, "state")?, vec![], diags));
            }
            let applied = r
                .apply(&provider, &prior, &planned, &req.planned_private)
                .await;
            Ok((
                wire::encode(&applied.state, &ty, "new state")?,
                applied.private,
                applied.diagnostics,
            ))
        }
        .await;
        let (new_state, private, diags) = match result {
            Ok((s, p, d)) => (Some(s), p, d),
            Err(d) => (None, vec![], d),
        };
        Ok(Response::new(proto::apply_resource_change::Response {
            new_state,
            private,
            diagnostics: diags.to_proto(),
            legacy_type_system: false,
        }))
    }

    async fn import_resource_state(
        &self,
        req: Request<proto::import_resource_state::Request>,
    ) -> RpcResult<proto::import_resource_state::Response> {
        let req = req.into_inner();
        let result = async {
            let r = self.resource(&req.type_name)?;
            let ty = r.schema().value_type();
            let provider = self.configured().await?;
            let state = r.import(&provider, &req.id).await?;
            Ok::<_, Diagnostics>(wire::encode(&state, &ty, "imported state")?)
        }
        .await;
        let (state, diags) = split(result);
        Ok(Response::new(proto::import_resource_state::Response {
            imported_resources: state
                .map(|state| proto::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: Some(state),
                    private: vec![],
                })
                .into_iter()
                .collect(),
            diagnostics: diags.to_proto(),
        }))
    }

    async fn read_data_source(
        &self,
        req: Request<proto::read_data_source::Request>,
    ) -> RpcResult<proto::read_data_source::Response> {
        let req = req.into_inner();
        let result = async {
            let ds = self.data_source(&req.type_name)?;
            let ty = ds.schema().value_type();
            let config = wire::decode(req.config.as_ref(), &ty, "data source configuration")?;
            let provider = self.configured().await?;
            let state = ds.read(&provider, &config).await?;
            Ok::<_, Diagnostics>(wire::encode(&state, &ty, "data source state")?)
        }
        .await;
        let (state, diags) = split(result);
        Ok(Response::new(proto::read_data_source::Response {
            state,
            diagnostics: diags.to_proto(),
        }))
    }

    async fn stop(&self, _: Request<proto::stop::Request>) -> RpcResult<proto::stop::Response> {
        tracing::info!("stop requested: cancelling in-flight AWS calls");
        self.stop.cancel();
        Ok(Response::new(proto::stop::Response {
            error: String::new(),
        }))
    }
}
