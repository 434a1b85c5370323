"""In-memory EKS state: clusters and what hangs off them, per account and region.

One lock guards everything: LocalStack serves requests on several threads, and every
operation here is a few dictionary look-ups, so a single lock costs nothing measurable.
"""

import datetime
import threading
from dataclasses import dataclass, field

LOCK = threading.RLock()


@dataclass
class PolicyAssociation:
    policy_arn: str
    scope_type: str
    namespaces: list[str]
    associated_at: datetime.datetime
    modified_at: datetime.datetime

    def to_api(self) -> dict:
        return {
            "policyArn": self.policy_arn,
            "accessScope": {"type": self.scope_type, "namespaces": list(self.namespaces)},
            "associatedAt": self.associated_at,
            "modifiedAt": self.modified_at,
        }


@dataclass
class AccessEntry:
    cluster_name: str
    principal_arn: str
    arn: str
    type: str
    username: str
    kubernetes_groups: list[str]
    tags: dict[str, str]
    created_at: datetime.datetime
    modified_at: datetime.datetime
    client_request_token: str | None = None
    policies: dict[str, PolicyAssociation] = field(default_factory=dict)

    def to_api(self) -> dict:
        return {
            "clusterName": self.cluster_name,
            "principalArn": self.principal_arn,
            "kubernetesGroups": list(self.kubernetes_groups),
            "accessEntryArn": self.arn,
            "createdAt": self.created_at,
            "modifiedAt": self.modified_at,
            "tags": dict(self.tags),
            "username": self.username,
            "type": self.type,
        }


@dataclass
class PodIdentityAssociation:
    cluster_name: str
    namespace: str
    service_account: str
    role_arn: str
    id: str
    arn: str
    tags: dict[str, str]
    created_at: datetime.datetime
    modified_at: datetime.datetime
    disable_session_tags: bool = False
    target_role_arn: str | None = None
    external_id: str | None = None
    policy: str | None = None
    owner_arn: str | None = None
    client_request_token: str | None = None

    def to_api(self) -> dict:
        api = {
            "clusterName": self.cluster_name,
            "namespace": self.namespace,
            "serviceAccount": self.service_account,
            "roleArn": self.role_arn,
            "associationArn": self.arn,
            "associationId": self.id,
            "tags": dict(self.tags),
            "createdAt": self.created_at,
            "modifiedAt": self.modified_at,
            "disableSessionTags": self.disable_session_tags,
        }
        for key, value in (
            ("targetRoleArn", self.target_role_arn),
            ("externalId", self.external_id),
            ("policy", self.policy),
            ("ownerArn", self.owner_arn),
        ):
            if value:
                api[key] = value
        return api

    def to_summary(self) -> dict:
        summary = {
            "clusterName": self.cluster_name,
            "namespace": self.namespace,
            "serviceAccount": self.service_account,
            "associationArn": self.arn,
            "associationId": self.id,
        }
        if self.owner_arn:
            summary["ownerArn"] = self.owner_arn
        return summary


@dataclass
class Addon:
    name: str
    cluster_name: str
    arn: str
    version: str
    namespace: str
    tags: dict[str, str]
    created_at: datetime.datetime
    modified_at: datetime.datetime
    service_account_role_arn: str | None = None
    configuration_values: str | None = None
    association_arns: list[str] = field(default_factory=list)
    client_request_token: str | None = None

    def to_api(self) -> dict:
        api = {
            "addonName": self.name,
            "clusterName": self.cluster_name,
            "status": "ACTIVE",
            "addonVersion": self.version,
            "health": {"issues": []},
            "addonArn": self.arn,
            "createdAt": self.created_at,
            "modifiedAt": self.modified_at,
            "tags": dict(self.tags),
            "publisher": "eks",
            "owner": "aws",
            "podIdentityAssociations": list(self.association_arns),
            "namespaceConfig": {"namespace": self.namespace},
        }
        if self.service_account_role_arn:
            api["serviceAccountRoleArn"] = self.service_account_role_arn
        if self.configuration_values:
            api["configurationValues"] = self.configuration_values
        return api


@dataclass
class Cluster:
    """A cluster; `description` is the DescribeCluster body minus the parts kept as fields."""

    name: str
    arn: str
    account: str
    region: str
    authentication_mode: str
    bootstrap_admin: bool
    creator_arn: str
    tags: dict[str, str]
    description: dict
    client_request_token: str | None = None
    access_entries: dict[str, AccessEntry] = field(default_factory=dict)
    associations: dict[str, PodIdentityAssociation] = field(default_factory=dict)
    addons: dict[str, Addon] = field(default_factory=dict)
    updates: dict[str, dict] = field(default_factory=dict)

    def to_api(self, status: str = "ACTIVE") -> dict:
        api = dict(self.description)
        api["status"] = status
        api["tags"] = dict(self.tags)
        api["accessConfig"] = {
            "bootstrapClusterCreatorAdminPermissions": self.bootstrap_admin,
            "authenticationMode": self.authentication_mode,
        }
        return api

    @property
    def allows_access_entries(self) -> bool:
        return self.authentication_mode in ("API", "API_AND_CONFIG_MAP")


@dataclass
class RegionStore:
    clusters: dict[str, Cluster] = field(default_factory=dict)


_STORES: dict[tuple[str, str], RegionStore] = {}


def region_store(account: str, region: str) -> RegionStore:
    with LOCK:
        return _STORES.setdefault((account, region), RegionStore())


def reset() -> None:
    """Forget every cluster in every account and region."""
    with LOCK:
        _STORES.clear()
