"""Pod Identity associations: Create, Describe, List, Update and Delete.

One association per cluster, namespace and service account. The role must exist in
LocalStack's IAM and belong to the cluster's account; `targetRoleArn` (role chaining, any
account) is checked for form only, since EKS cannot see other accounts' roles either.

Session settings, per the EKS API reference (CreatePodIdentityAssociation): a session
`policy` requires `disableSessionTags = true`, is IAM policy JSON, and is at most 2,048
characters (the limit of an STS session policy). AWS documents the rules, not the error
text: violations answer InvalidParameterException with messages of our own. An
association with a target role gets an `externalId`, in the form the EKS user guide shows
for the target role's trust policy: `<region>/<account>/<cluster>/<namespace>/<service
account>`. An empty `policy` on update removes the session policy, as an empty
`targetRoleArn` removes the target role.
"""

import json

from . import ids
from .cluster_lookup import get_cluster
from .errors import (
    ASSOCIATION_EXISTS,
    ROLE_DOES_NOT_EXIST,
    InvalidParameterException,
    ResourceInUseException,
    ResourceLimitExceededException,
    ResourceNotFoundException,
)
from .faults import FAULTS, not_yet_propagated
from .iam_lookup import find_principal
from .pagination import paginate
from .store import Cluster, PodIdentityAssociation
from .validation import ROLE_ARN, check_namespace, check_service_account, check_tags

MAX_ASSOCIATIONS_PER_CLUSTER = 5000


def _cluster(context, name: str) -> Cluster:
    return get_cluster(context, name)


def check_role(cluster: Cluster, role_arn: str) -> None:
    """The role exists in IAM (and is visible, in propagation mode) in the cluster's account."""
    match = ROLE_ARN.match(role_arn)
    if match is None:
        raise InvalidParameterException(f"The roleArn {role_arn} is not a valid IAM role ARN.")
    if match.group(2) != cluster.account:
        raise InvalidParameterException(
            "The role provided in the request must be in the same account as the cluster."
        )
    role = find_principal(role_arn)
    if role is None or not_yet_propagated(role.age_seconds(), FAULTS):
        raise InvalidParameterException(ROLE_DOES_NOT_EXIST)


SESSION_POLICY_MAX_CHARS = 2048
POLICY_NEEDS_NO_SESSION_TAGS = (
    "A session policy requires disableSessionTags to be true for the Pod Identity association."
)


def _check_policy(policy: str) -> None:
    """A session policy: a JSON object of at most 2,048 characters."""
    if len(policy) > SESSION_POLICY_MAX_CHARS:
        raise InvalidParameterException(
            f"The policy must be at most {SESSION_POLICY_MAX_CHARS} characters long; it is {len(policy)}."
        )
    try:
        document = json.loads(policy)
    except ValueError:
        document = None
    if not isinstance(document, dict) or "Statement" not in document:
        raise InvalidParameterException("The policy is not a valid IAM policy document.")


def _check_session_settings(policy: str | None, disable_session_tags: bool) -> None:
    if policy:
        _check_policy(policy)
        if not disable_session_tags:
            raise InvalidParameterException(POLICY_NEEDS_NO_SESSION_TAGS)


def _external_id(cluster: Cluster, namespace: str, service_account: str) -> str:
    return f"{cluster.region}/{cluster.account}/{cluster.name}/{namespace}/{service_account}"


def _check_target_role(target_role_arn: str) -> None:
    if not ROLE_ARN.match(target_role_arn):
        raise InvalidParameterException(
            f"The targetRoleArn {target_role_arn} is not a valid IAM role ARN."
        )


def new_association(cluster: Cluster, namespace: str, service_account: str, role_arn: str,
                    tags: dict, owner_arn: str | None = None) -> PodIdentityAssociation:
    """Validate and store a new association (used by CreatePodIdentityAssociation and add-ons)."""
    check_namespace(namespace)
    check_service_account(service_account)
    check_role(cluster, role_arn)
    for existing in cluster.associations.values():
        if (existing.namespace, existing.service_account) == (namespace, service_account):
            raise ResourceInUseException(ASSOCIATION_EXISTS)
    if len(cluster.associations) >= MAX_ASSOCIATIONS_PER_CLUSTER:
        raise ResourceLimitExceededException(
            f"Cluster {cluster.name} already has the maximum of {MAX_ASSOCIATIONS_PER_CLUSTER} "
            "Pod Identity associations."
        )
    assoc_id = ids.association_id()
    created = ids.now()
    association = PodIdentityAssociation(
        cluster_name=cluster.name,
        namespace=namespace,
        service_account=service_account,
        role_arn=role_arn,
        id=assoc_id,
        arn=ids.association_arn(cluster.region, cluster.account, cluster.name, assoc_id),
        tags=dict(tags or {}),
        created_at=created,
        modified_at=created,
        owner_arn=owner_arn,
    )
    cluster.associations[assoc_id] = association
    return association


def create_pod_identity_association(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    token = request.get("clientRequestToken")
    if token:
        for existing in cluster.associations.values():
            if existing.client_request_token == token:
                return {"association": existing.to_api()}
    check_tags(request.get("tags"), InvalidParameterException)
    target = request.get("targetRoleArn")
    if target:
        _check_target_role(target)
    _check_session_settings(request.get("policy"), bool(request.get("disableSessionTags")))
    association = new_association(
        cluster, request["namespace"], request["serviceAccount"], request["roleArn"],
        request.get("tags"),
    )
    association.client_request_token = token
    association.disable_session_tags = bool(request.get("disableSessionTags"))
    association.target_role_arn = target or None
    association.external_id = _external_id(cluster, association.namespace, association.service_account) if target else None
    association.policy = request.get("policy") or None
    return {"association": association.to_api()}


def _association(cluster: Cluster, assoc_id: str) -> PodIdentityAssociation:
    association = cluster.associations.get(assoc_id)
    if association is None:
        raise ResourceNotFoundException(
            f"No Pod Identity association found for id: {assoc_id} in cluster: {cluster.name}."
        )
    return association


def describe_pod_identity_association(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    return {"association": _association(cluster, request["associationId"]).to_api()}


def list_pod_identity_associations(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    namespace = request.get("namespace")
    service_account = request.get("serviceAccount")
    matching = {
        assoc.id: assoc.to_summary()
        for assoc in cluster.associations.values()
        if (namespace is None or assoc.namespace == namespace)
        and (service_account is None or assoc.service_account == service_account)
    }
    page, next_token = paginate(matching, request)
    response = {"associations": page}
    if next_token:
        response["nextToken"] = next_token
    return response


def update_pod_identity_association(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    association = _association(cluster, request["associationId"])
    role_arn = request.get("roleArn")
    if role_arn and role_arn != association.role_arn:
        check_role(cluster, role_arn)
    target = request.get("targetRoleArn")
    if target:
        _check_target_role(target)
    # The association as it would be after the update must be valid as a whole.
    policy = association.policy if request.get("policy") is None else (request["policy"] or None)
    disable = request.get("disableSessionTags")
    disable = association.disable_session_tags if disable is None else disable
    _check_session_settings(policy, disable)
    if role_arn:
        association.role_arn = role_arn
    if target is not None:
        # An empty string removes the target role, as in the EKS API.
        association.target_role_arn = target or None
        if target and not association.external_id:
            association.external_id = _external_id(
                cluster, association.namespace, association.service_account)
        if not target:
            association.external_id = None
    if request.get("disableSessionTags") is not None:
        association.disable_session_tags = request["disableSessionTags"]
    if request.get("policy") is not None:
        association.policy = request["policy"] or None
    association.modified_at = ids.now()
    return {"association": association.to_api()}


def delete_pod_identity_association(context, request: dict) -> dict:
    cluster = _cluster(context, request["clusterName"])
    association = _association(cluster, request["associationId"])
    del cluster.associations[association.id]
    return {"association": association.to_api()}
