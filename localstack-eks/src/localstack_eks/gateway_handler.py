"""The request handler added to LocalStack's chain: counts calls, injects faults for any service.

It runs after LocalStack has parsed the AWS request (service, operation and parameters are
known) and before the service provider is loaded or called, so an injected IAM or STS error
never reaches moto, and is serialized by LocalStack in that service's own protocol (the XML
`ErrorResponse` of IAM's query protocol, JSON for EKS).
"""

import json
import logging
import time

from .calls import CALLS
from .errors import common_error
from .faults import FAULTS, not_yet_propagated
from .iam_lookup import find_principal

LOG = logging.getLogger(__name__)

_TRUST_POLICY_OPERATIONS = {"CreateRole", "UpdateAssumeRolePolicy"}


def handle_request(chain, context, response) -> None:
    """A LocalStack `Handler`: (chain, context, response) -> None; raises to answer with an error."""
    if context.is_internal_call or context.service is None or context.operation is None:
        return
    service = context.service.service_name
    operation = context.operation.name
    CALLS.record(service, operation)

    decision = FAULTS.decide(service, operation)
    if decision.latency_ms:
        time.sleep(decision.latency_ms / 1000.0)
    if decision.error is not None:
        LOG.info("eksrole fault: %s.%s -> %s", service, operation, decision.error.code)
        raise common_error(decision.error.code, decision.error.message, decision.error.status)

    if service == "iam" and operation in _TRUST_POLICY_OPERATIONS:
        _reject_unpropagated_principals(context.service_request or {})


def _reject_unpropagated_principals(request: dict) -> None:
    """IAM-propagation mode: a trust policy naming a too-young role or user is malformed."""
    if FAULTS.propagation_seconds() <= 0:
        return
    for arn in _aws_principals(request.get("PolicyDocument") or request.get("AssumeRolePolicyDocument")):
        principal = find_principal(arn)
        if principal is not None and not_yet_propagated(principal.age_seconds(), FAULTS):
            raise common_error("MalformedPolicyDocument", "Invalid principal in policy", 400)


def _aws_principals(document: str | None) -> list[str]:
    try:
        policy = json.loads(document or "")
    except ValueError:
        return []
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    arns = []
    for statement in statements:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        if not isinstance(principal, dict):
            continue
        values = principal.get("AWS", [])
        arns.extend([values] if isinstance(values, str) else [v for v in values if isinstance(v, str)])
    return arns
