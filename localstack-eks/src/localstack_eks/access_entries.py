"""Access entries and their access-policy associations.

CreateAccessEntry, DescribeAccessEntry, ListAccessEntries, UpdateAccessEntry,
DeleteAccessEntry, AssociateAccessPolicy, DisassociateAccessPolicy,
ListAssociatedAccessPolicies, and the cluster creator's bootstrap entry.
Every operation here needs a cluster whose authentication mode allows access entries.
"""

from . import ids
from .access_policies import CLUSTER_ADMIN_POLICY_ARN, is_known_policy_arn
from .cluster_lookup import get_cluster
from .errors import (
    ACCESS_ENTRY_IN_USE,
    ACCESS_ENTRY_NOT_FOUND,
    AUTH_MODE_FORBIDS_ACCESS_ENTRIES,
    INVALID_PRINCIPAL,
    SERVICE_LINKED_ROLE,
    STANDARD_ONLY,
    InvalidParameterException,
    InvalidRequestException,
    ResourceInUseException,
    ResourceLimitExceededException,
    ResourceNotFoundException,
)
from .faults import FAULTS, not_yet_propagated
from .iam_lookup import Principal, find_principal, is_service_linked, parse_principal_arn
from .pagination import paginate
from .store import AccessEntry, Cluster, PolicyAssociation
from .validation import check_groups, check_scope_namespace, check_tags, check_username

ENTRY_TYPES = (
    "STANDARD",
    "EC2_LINUX",
    "EC2_WINDOWS",
    "FARGATE_LINUX",
    "HYBRID_LINUX",
    "EC2",
    "HYPERPOD_LINUX",
)
MAX_ENTRIES_PER_CLUSTER = 3000
# The Kubernetes identity EKS gives each node-type entry.
NODE_USERNAMES = {
    "EC2_LINUX": "system:node:{{EC2PrivateDNSName}}",
    "EC2_WINDOWS": "system:node:{{EC2PrivateDNSName}}",
    "EC2": "system:node:{{EC2PrivateDNSName}}",
    "FARGATE_LINUX": "system:node:{{SessionName}}",
    "HYBRID_LINUX": "system:node:{{SessionName}}",
    "HYPERPOD_LINUX": "system:node:{{SessionName}}",
}


def _cluster_with_access_entries(context, name: str) -> Cluster:
    cluster = get_cluster(context, name)
    if not cluster.allows_access_entries:
        raise InvalidRequestException(AUTH_MODE_FORBIDS_ACCESS_ENTRIES)
    return cluster


def _entry(cluster: Cluster, principal_arn: str) -> AccessEntry:
    entry = cluster.access_entries.get(principal_arn)
    if entry is None:
        raise ResourceNotFoundException(ACCESS_ENTRY_NOT_FOUND)
    return entry


def _visible_principal(arn: str) -> Principal:
    """The principal EKS can see in IAM, or the error EKS gives for this ARN."""
    parsed = parse_principal_arn(arn)
    if parsed is None:
        raise InvalidParameterException(INVALID_PRINCIPAL)
    if is_service_linked(parsed):
        raise InvalidParameterException(SERVICE_LINKED_ROLE)
    principal = find_principal(arn)
    if principal is None or not_yet_propagated(principal.age_seconds(), FAULTS):
        raise InvalidParameterException(INVALID_PRINCIPAL)
    return principal


def _default_username(principal: Principal) -> str:
    if principal.kind == "role":
        return f"arn:aws:sts::{principal.account}:assumed-role/{principal.name}/{{{{SessionName}}}}"
    return principal.arn


def _new_entry(cluster: Cluster, principal: Principal, entry_type: str, username: str,
               groups: list[str], tags: dict, token: str | None) -> AccessEntry:
    created = ids.now()
    return AccessEntry(
        cluster_name=cluster.name,
        principal_arn=principal.arn,
        arn=ids.access_entry_arn(
            cluster.region, cluster.account, cluster.name, principal.kind, principal.account,
            principal.name,
        ),
        type=entry_type,
        username=username,
        kubernetes_groups=groups,
        tags=tags,
        created_at=created,
        modified_at=created,
        client_request_token=token,
    )


def create_bootstrap_entry(cluster: Cluster) -> None:
    """The creator's STANDARD entry with cluster-wide AmazonEKSClusterAdminPolicy."""
    principal = parse_principal_arn(cluster.creator_arn)
    if principal is None:
        return
    entry = _new_entry(cluster, principal, "STANDARD", _default_username(principal), [], {}, None)
    entry.policies[CLUSTER_ADMIN_POLICY_ARN] = PolicyAssociation(
        CLUSTER_ADMIN_POLICY_ARN, "cluster", [], entry.created_at, entry.created_at
    )
    cluster.access_entries[principal.arn] = entry


def create_access_entry(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    principal_arn = request["principalArn"]
    token = request.get("clientRequestToken")
    existing = cluster.access_entries.get(principal_arn)
    if existing is not None and token and existing.client_request_token == token:
        return {"accessEntry": existing.to_api()}

    entry_type = request.get("type") or "STANDARD"
    if entry_type not in ENTRY_TYPES:
        raise InvalidParameterException(
            f"The type {entry_type} is invalid. Valid types are: {', '.join(ENTRY_TYPES)}"
        )
    groups = list(request.get("kubernetesGroups") or [])
    username = request.get("username")
    if entry_type != "STANDARD":
        if groups:
            raise InvalidParameterException(
                f"kubernetesGroups cannot be specified for an access entry of type {entry_type}."
            )
        if username:
            raise InvalidParameterException(
                f"username cannot be specified for an access entry of type {entry_type}."
            )
    check_groups(groups)
    if username is not None:
        check_username(username)
    check_tags(request.get("tags"), InvalidParameterException)

    principal = _visible_principal(principal_arn)
    if entry_type != "STANDARD" and principal.kind != "role":
        raise InvalidParameterException(
            f"An access entry of type {entry_type} needs an IAM role as its principalArn."
        )
    if existing is not None:
        raise ResourceInUseException(ACCESS_ENTRY_IN_USE)
    if len(cluster.access_entries) >= MAX_ENTRIES_PER_CLUSTER:
        raise ResourceLimitExceededException(
            f"Cluster {cluster.name} already has the maximum of {MAX_ENTRIES_PER_CLUSTER} access entries."
        )
    if entry_type != "STANDARD":
        username, groups = NODE_USERNAMES[entry_type], ["system:nodes"]
    entry = _new_entry(
        cluster, principal, entry_type, username or _default_username(principal), groups,
        dict(request.get("tags") or {}), token,
    )
    cluster.access_entries[principal_arn] = entry
    return {"accessEntry": entry.to_api()}


def describe_access_entry(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    return {"accessEntry": _entry(cluster, request["principalArn"]).to_api()}


def list_access_entries(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    policy_filter = request.get("associatedPolicyArn")
    entries = {
        arn: arn
        for arn, entry in cluster.access_entries.items()
        if policy_filter is None or policy_filter in entry.policies
    }
    page, next_token = paginate(entries, request)
    response = {"accessEntries": page}
    if next_token:
        response["nextToken"] = next_token
    return response


def update_access_entry(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    entry = _entry(cluster, request["principalArn"])
    groups = request.get("kubernetesGroups")
    username = request.get("username")
    if entry.type != "STANDARD" and (groups or username):
        raise InvalidParameterException(STANDARD_ONLY)
    if groups is not None:
        check_groups(groups)
    if username is not None:
        check_username(username)
    if groups is not None:
        entry.kubernetes_groups = list(groups)
    if username is not None:
        entry.username = username
    entry.modified_at = ids.now()
    return {"accessEntry": entry.to_api()}


def delete_access_entry(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    entry = _entry(cluster, request["principalArn"])
    del cluster.access_entries[entry.principal_arn]
    return {}


def associate_access_policy(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    entry = _entry(cluster, request["principalArn"])
    if entry.type != "STANDARD":
        raise InvalidParameterException(STANDARD_ONLY)
    policy_arn = request["policyArn"]
    if not is_known_policy_arn(policy_arn):
        raise InvalidParameterException(
            f"The specified policyArn is invalid: {policy_arn} is not an access policy. "
            "You can view the available access policies with 'list-access-policies'."
        )
    scope = request["accessScope"]
    scope_type = scope.get("type")
    namespaces = list(scope.get("namespaces") or [])
    if scope_type is None:
        raise InvalidParameterException("The access scope type must be one of [cluster, namespace].")
    if scope_type == "cluster" and namespaces:
        raise InvalidParameterException(
            "Namespaces can only be specified when the access scope type is namespace."
        )
    if scope_type == "namespace":
        if not namespaces:
            raise InvalidParameterException(
                "At least one namespace must be specified when the access scope type is namespace."
            )
        for namespace in namespaces:
            check_scope_namespace(namespace)
    now = ids.now()
    association = entry.policies.get(policy_arn)
    if association is None:
        association = PolicyAssociation(policy_arn, scope_type, namespaces, now, now)
        entry.policies[policy_arn] = association
    else:
        association.scope_type, association.namespaces, association.modified_at = (
            scope_type, namespaces, now,
        )
    return {
        "clusterName": cluster.name,
        "principalArn": entry.principal_arn,
        "associatedAccessPolicy": association.to_api(),
    }


def disassociate_access_policy(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    entry = _entry(cluster, request["principalArn"])
    if entry.policies.pop(request["policyArn"], None) is None:
        raise ResourceNotFoundException(
            f"The specified policyArn {request['policyArn']} is not associated with this access entry."
        )
    return {}


def list_associated_access_policies(context, request: dict) -> dict:
    cluster = _cluster_with_access_entries(context, request["clusterName"])
    entry = _entry(cluster, request["principalArn"])
    page, next_token = paginate(
        {arn: association.to_api() for arn, association in entry.policies.items()}, request
    )
    response = {
        "clusterName": cluster.name,
        "principalArn": entry.principal_arn,
        "associatedAccessPolicies": page,
    }
    if next_token:
        response["nextToken"] = next_token
    return response
