"""Add-ons: CreateAddon, DescribeAddon, ListAddons, DeleteAddon.

Only the catalogue below is accepted; add-ons are ACTIVE at once. An add-on's
`podIdentityAssociations` become real associations owned by the add-on, and go with it.
"""

import re

from . import ids
from .cluster_lookup import get_cluster
from .errors import (
    InvalidParameterException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from .pagination import paginate
from .pod_identity import check_role, new_association
from .store import Addon, Cluster
from .validation import check_tags

# name -> (default version, namespace it installs into)
ADDON_CATALOGUE = {
    "eks-pod-identity-agent": ("v1.3.8-eksbuild.2", "kube-system"),
    "vpc-cni": ("v1.19.6-eksbuild.1", "kube-system"),
    "coredns": ("v1.11.4-eksbuild.14", "kube-system"),
    "kube-proxy": ("v1.33.0-eksbuild.2", "kube-system"),
    "aws-ebs-csi-driver": ("v1.45.0-eksbuild.2", "kube-system"),
    "aws-efs-csi-driver": ("v2.1.9-eksbuild.1", "kube-system"),
    "snapshot-controller": ("v8.2.0-eksbuild.1", "kube-system"),
    "metrics-server": ("v0.7.2-eksbuild.4", "kube-system"),
    "amazon-cloudwatch-observability": ("v4.1.0-eksbuild.1", "amazon-cloudwatch"),
    "aws-guardduty-agent": ("v1.10.0-eksbuild.2", "amazon-guardduty"),
}
ADDON_VERSION = re.compile(r"^v\d+\.\d+\.\d+-eksbuild\.\d+$")


def _cluster(context, name: str) -> Cluster:
    return get_cluster(context, name)


def _addon(cluster: Cluster, name: str) -> Addon:
    addon = cluster.addons.get(name)
    if addon is None:
        raise ResourceNotFoundException(f"No addon: {name} found in cluster: {cluster.name}")
    return addon


def create_addon(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    name = request["addonName"]
    existing = cluster.addons.get(name)
    token = request.get("clientRequestToken")
    if existing is not None:
        if token and existing.client_request_token == token:
            return {"addon": existing.to_api()}
        raise ResourceInUseException("Addon already exists.")
    if name not in ADDON_CATALOGUE:
        raise InvalidParameterException(
            f"Addon {name} specified is not supported in {cluster.description['version']} "
            "kubernetes version"
        )
    default_version, default_namespace = ADDON_CATALOGUE[name]
    version = request.get("addonVersion") or default_version
    if not ADDON_VERSION.match(version):
        raise InvalidParameterException(f"Addon version specified is not supported: {version}")
    check_tags(request.get("tags"), InvalidParameterException)
    namespace = (request.get("namespaceConfig") or {}).get("namespace") or default_namespace
    if request.get("serviceAccountRoleArn"):
        check_role(cluster, request["serviceAccountRoleArn"])
    created = ids.now()
    addon = Addon(
        name=name,
        cluster_name=cluster.name,
        arn=ids.addon_arn(cluster.region, cluster.account, cluster.name, name),
        version=version,
        namespace=namespace,
        tags=dict(request.get("tags") or {}),
        created_at=created,
        modified_at=created,
        service_account_role_arn=request.get("serviceAccountRoleArn"),
        configuration_values=request.get("configurationValues"),
        client_request_token=token,
    )
    created_ids = []
    try:
        for item in request.get("podIdentityAssociations") or []:
            association = new_association(
                cluster, namespace, item["serviceAccount"], item["roleArn"], {}, owner_arn=addon.arn
            )
            created_ids.append(association.id)
            addon.association_arns.append(association.arn)
    except Exception:
        for assoc_id in created_ids:
            cluster.associations.pop(assoc_id, None)
        raise
    cluster.addons[name] = addon
    return {"addon": addon.to_api()}


def describe_addon(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    return {"addon": _addon(cluster, request["addonName"]).to_api()}


def list_addons(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    page, next_token = paginate({name: name for name in cluster.addons}, request)
    response = {"addons": page}
    if next_token:
        response["nextToken"] = next_token
    return response


def delete_addon(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    addon = _addon(cluster, request["addonName"])
    del cluster.addons[addon.name]
    if not request.get("preserve"):
        for assoc_id, association in list(cluster.associations.items()):
            if association.owner_arn == addon.arn:
                del cluster.associations[assoc_id]
    return {"addon": dict(addon.to_api(), status="DELETING")}
