"""Cluster operations: CreateCluster, DescribeCluster, ListClusters, DeleteCluster,
UpdateClusterConfig (authentication mode, one way) and DescribeUpdate.

Clusters are ACTIVE as soon as they are created: there is no control plane to wait for.
"""

import re
import uuid

from . import ids
from .access_entries import create_bootstrap_entry
from .cluster_lookup import get_cluster
from .errors import (
    InvalidParameterException,
    InvalidRequestException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from .iam_lookup import caller_principal_arn
from .pagination import paginate
from .store import Cluster, region_store
from .validation import ROLE_ARN, check_cluster_name, check_tags

DEFAULT_VERSION = "1.33"
KUBERNETES_VERSION = re.compile(r"^1\.(2[3-9]|3[0-9])$")
# Authentication modes in the only order EKS lets a cluster move through them.
AUTH_MODE_ORDER = ["CONFIG_MAP", "API_AND_CONFIG_MAP", "API"]
LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"]


def create_cluster(context, request: dict) -> dict:
    name = request["name"]
    check_cluster_name(name)
    clusters = region_store(context.account_id, context.region).clusters
    token = request.get("clientRequestToken")
    existing = clusters.get(name)
    if existing is not None:
        if token and existing.client_request_token == token:
            return {"cluster": existing.to_api(status="CREATING")}
        raise ResourceInUseException(f"Cluster already exists with name: {name}")

    role_arn = request["roleArn"]
    if not ROLE_ARN.match(role_arn):
        raise InvalidParameterException(f"The roleArn '{role_arn}' is not a valid IAM role ARN.")
    version = request.get("version") or DEFAULT_VERSION
    if not KUBERNETES_VERSION.match(version):
        raise InvalidParameterException(f"unsupported Kubernetes version {version}")
    check_tags(request.get("tags"), InvalidParameterException)

    access = request.get("accessConfig") or {}
    mode = access.get("authenticationMode") or "CONFIG_MAP"
    bootstrap = access.get("bootstrapClusterCreatorAdminPermissions")
    bootstrap = True if bootstrap is None else bootstrap
    if mode == "CONFIG_MAP" and not bootstrap:
        raise InvalidParameterException(
            "bootstrapClusterCreatorAdminPermissions must be true if cluster authentication "
            "mode is set to CONFIG_MAP"
        )

    cluster = Cluster(
        name=name,
        arn=ids.cluster_arn(context.region, context.account_id, name, context.partition or "aws"),
        account=context.account_id,
        region=context.region,
        authentication_mode=mode,
        bootstrap_admin=bootstrap,
        creator_arn=caller_principal_arn(context),
        tags=dict(request.get("tags") or {}),
        description=_describe(context, request, name, version),
        client_request_token=token,
    )
    if cluster.allows_access_entries and bootstrap:
        create_bootstrap_entry(cluster)
    clusters[name] = cluster
    return {"cluster": cluster.to_api(status="CREATING")}


def _describe(context, request: dict, name: str, version: str) -> dict:
    endpoint_id = ids.oidc_id()
    vpc = request.get("resourcesVpcConfig") or {}
    network = request.get("kubernetesNetworkConfig") or {}
    ip_family = network.get("ipFamily") or "ipv4"
    network_out = {
        "ipFamily": ip_family,
        "elasticLoadBalancing": network.get("elasticLoadBalancing") or {"enabled": False},
    }
    if ip_family == "ipv4":
        network_out["serviceIpv4Cidr"] = network.get("serviceIpv4Cidr") or "10.100.0.0/16"
    else:
        network_out["serviceIpv6Cidr"] = "fd00:ec2::/108"
    logging = request.get("logging") or {"clusterLogging": [{"types": LOG_TYPES, "enabled": False}]}
    return {
        "name": name,
        "arn": ids.cluster_arn(context.region, context.account_id, name, context.partition or "aws"),
        "createdAt": ids.now(),
        "version": version,
        "endpoint": f"https://{endpoint_id}.gr7.{context.region}.eks.amazonaws.com",
        "roleArn": request["roleArn"],
        "resourcesVpcConfig": {
            "subnetIds": list(vpc.get("subnetIds") or []),
            "securityGroupIds": list(vpc.get("securityGroupIds") or []),
            "clusterSecurityGroupId": ids.hex_suffix("sg"),
            "vpcId": ids.hex_suffix("vpc"),
            "endpointPublicAccess": vpc.get("endpointPublicAccess", True),
            "endpointPrivateAccess": vpc.get("endpointPrivateAccess", False),
            "publicAccessCidrs": list(vpc.get("publicAccessCidrs") or ["0.0.0.0/0"]),
        },
        "kubernetesNetworkConfig": network_out,
        "logging": logging,
        "identity": {
            "oidc": {"issuer": f"https://oidc.eks.{context.region}.amazonaws.com/id/{endpoint_id}"}
        },
        "certificateAuthority": {"data": ids.certificate_authority_data(name)},
        "platformVersion": "eks.1",
        "health": {"issues": []},
        "upgradePolicy": request.get("upgradePolicy") or {"supportType": "EXTENDED"},
        "deletionProtection": bool(request.get("deletionProtection")),
    }


def describe_cluster(context, request: dict) -> dict:
    return {"cluster": get_cluster(context, request["name"]).to_api()}


def list_clusters(context, request: dict) -> dict:
    clusters = region_store(context.account_id, context.region).clusters
    page, next_token = paginate({name: name for name in clusters}, request)
    response = {"clusters": page}
    if next_token:
        response["nextToken"] = next_token
    return response


def delete_cluster(context, request: dict) -> dict:
    """Deleting a cluster deletes its access entries, associations and add-ons with it."""
    cluster = get_cluster(context, request["name"])
    if cluster.description.get("deletionProtection"):
        raise InvalidRequestException(
            f"Cluster {cluster.name} has deletion protection enabled; disable it before deleting."
        )
    del region_store(context.account_id, context.region).clusters[cluster.name]
    return {"cluster": cluster.to_api(status="DELETING")}


def update_cluster_config(context, request: dict) -> dict:
    cluster = get_cluster(context, request["name"])
    params = []
    update_type = "ConfigUpdate"
    new_mode = (request.get("accessConfig") or {}).get("authenticationMode")
    if new_mode is not None:
        _check_mode_change(cluster.authentication_mode, new_mode)
        # The creator's bootstrap entry is made at creation only ("during cluster creation
        # time" in the API reference), so turning the API mode on later adds no entry.
        cluster.authentication_mode = new_mode
        params.append({"type": "AuthenticationMode", "value": new_mode})
        update_type = "AccessConfigUpdate"
    for key, param in (("resourcesVpcConfig", None), ("logging", "ClusterLogging"),
                       ("upgradePolicy", "UpgradePolicy"), ("deletionProtection", "DeletionProtection")):
        if request.get(key) is None:
            continue
        if key == "resourcesVpcConfig":
            cluster.description["resourcesVpcConfig"].update(
                {k: v for k, v in request[key].items() if v is not None}
            )
            update_type = "EndpointAccessUpdate"
            continue
        cluster.description[key] = request[key]
        params.append({"type": param, "value": str(request[key])})
    if not params and update_type == "ConfigUpdate":
        raise InvalidParameterException("No changes needed")
    update = {
        "id": str(uuid.uuid4()),
        "status": "InProgress",
        "type": update_type,
        "params": params,
        "createdAt": ids.now(),
        "errors": [],
    }
    cluster.updates[update["id"]] = update
    return {"update": update}


def _check_mode_change(current: str, new: str) -> None:
    if AUTH_MODE_ORDER.index(new) != AUTH_MODE_ORDER.index(current) + 1:
        raise InvalidParameterException(f"Unsupported authentication mode update from {current} to {new}")


def describe_update(context, request: dict) -> dict:
    cluster = get_cluster(context, request["name"])
    update = cluster.updates.get(request["updateId"])
    if update is None:
        raise ResourceNotFoundException(f"No update found for ID: {request['updateId']}")
    return {"update": dict(update, status="Successful")}
