//! The tfplugin5 `Provider` service: one thin handler per RPC.

use std::sync::Arc;

use tokio::sync::RwLock;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::aws::AwsClients;
use crate::tfplugin::proto::{self, provider_server::Provider};
use crate::tfplugin::{Diagnostic, Diagnostics};

use super::context::{aws_diagnostic, Configured};
use super::data_sources::{self, DataSource};
use super::{config, wire};

type RpcResult<T> = Result<Response<T>, Status>;

pub struct ProviderService {
    data_sources: Vec<Box<dyn DataSource>>,
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
                diags.push(aws_diagnostic("Could not configure AWS access", &e));
                return diags;
            }
        };
        tracing::debug!(region = %clients.region, plan_time_checks = settings.plan_time_checks, "provider configured");
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
            resources: vec![],
        }))
    }

    async fn get_schema(
        &self,
        _: Request<proto::get_provider_schema::Request>,
    ) -> RpcResult<proto::get_provider_schema::Response> {
        Ok(Response::new(proto::get_provider_schema::Response {
            provider: Some(config::schema().to_proto()),
            resource_schemas: Default::default(),
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
        Ok(Response::new(
            proto::validate_resource_type_config::Response {
                diagnostics: unknown_type("resource", &req.type_name).to_proto(),
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
        Ok(Response::new(proto::upgrade_resource_state::Response {
            upgraded_state: None,
            diagnostics: unknown_type("resource", &req.type_name).to_proto(),
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
        Ok(Response::new(proto::read_resource::Response {
            new_state: None,
            diagnostics: unknown_type("resource", &req.type_name).to_proto(),
            private: vec![],
        }))
    }

    async fn plan_resource_change(
        &self,
        req: Request<proto::plan_resource_change::Request>,
    ) -> RpcResult<proto::plan_resource_change::Response> {
        let req = req.into_inner();
        Ok(Response::new(proto::plan_resource_change::Response {
            planned_state: None,
            requires_replace: vec![],
            planned_private: vec![],
            diagnostics: unknown_type("resource", &req.type_name).to_proto(),
            legacy_type_system: false,
        }))
    }

    async fn apply_resource_change(
        &self,
        req: Request<proto::apply_resource_change::Request>,
    ) -> RpcResult<proto::apply_resource_change::Response> {
        let req = req.into_inner();
        Ok(Response::new(proto::apply_resource_change::Response {
            new_state: None,
            private: vec![],
            diagnostics: unknown_type("resource", &req.type_name).to_proto(),
            legacy_type_system: false,
        }))
    }

    async fn import_resource_state(
        &self,
        req: Request<proto::import_resource_state::Request>,
    ) -> RpcResult<proto::import_resource_state::Response> {
        let req = req.into_inner();
        Ok(Response::new(proto::import_resource_state::Response {
            imported_resources: vec![],
            diagnostics: unknown_type("resource", &req.type_name).to_proto(),
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
        let (state, diags) = match result {
            Ok(state) => (Some(state), Diagnostics::default()),
            Err(d) => (None, d),
        };
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
