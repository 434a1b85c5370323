"""Read-only look-ups in LocalStack's IAM and STS state (moto's backends), in-process.

EKS validates principals against IAM; here that means the moto IAM backend of the
principal's account. Nothing here goes over HTTP, so these reads are not counted as calls
and are never hit by injected faults.
"""

import datetime
import re
from dataclasses import dataclass

# arn:aws:iam::123456789012:role/path/name, user/name, or root
IAM_PRINCIPAL_ARN = re.compile(r"^arn:(aws[a-zA-Z-]*):iam::(\d{12}):(role|user)(/.*)?/([^/]+)$")
ROOT_ARN = re.compile(r"^arn:(aws[a-zA-Z-]*):iam::(\d{12}):root$")
SERVICE_LINKED_PATH = "/aws-service-role/"


@dataclass
class Principal:
    arn: str
    kind: str  # "role", "user" or "root"
    account: str
    name: str
    path: str
    created_at: datetime.datetime | None  # naive UTC, as moto keeps it; None for root

    def age_seconds(self) -> float | None:
        if self.created_at is None:
            return None
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        return (now - self.created_at).total_seconds()


def parse_principal_arn(arn: str) -> Principal | None:
    """Split an IAM role/user/root ARN; None for anything else (STS sessions, other services)."""
    match = IAM_PRINCIPAL_ARN.match(arn or "")
    if match:
        _, account, kind, path, name = match.groups()
        return Principal(arn, kind, account, name, (path or "") + "/", None)
    match = ROOT_ARN.match(arn or "")
    if match:
        return Principal(arn, "root", match.group(2), match.group(2), "/", None)
    return None


def is_service_linked(principal: Principal) -> bool:
    return principal.kind == "role" and principal.path.startswith(SERVICE_LINKED_PATH)


def find_principal(arn: str) -> Principal | None:
    """The existing IAM role or user with exactly this ARN (path included), or None.

    An account root always exists.
    """
    parsed = parse_principal_arn(arn)
    if parsed is None:
        return None
    if parsed.kind == "root":
        return parsed
    from moto.iam.models import iam_backends

    partition = arn.split(":")[1]
    backend = iam_backends[parsed.account][partition]
    candidates = backend.roles.values() if parsed.kind == "role" else backend.users.values()
    for entity in list(candidates):
        if entity.arn == arn:
            parsed.created_at = entity.create_date
            return parsed
    return None


def caller_principal_arn(context) -> str:
    """The IAM principal behind the request's credentials, as EKS records a cluster creator.

    An assumed-role session maps to its role ARN (EKS stores the role, not the session), an
    IAM user's key to the user, and anything else (LocalStack's default `test` keys) to the
    account root, which is what LocalStack's GetCallerIdentity reports for such keys.
    """
    from localstack.utils.aws.request_context import extract_access_key_id_from_auth_header
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    account = context.account_id
    partition = context.partition or "aws"
    access_key = extract_access_key_id_from_auth_header(context.request.headers) or ""
    # The session lives in the STS backend of the account that called AssumeRole, which may
    # differ from the role's (and so the request's) account.
    for sts_account in [account] + [a for a in list(sts_backends.keys()) if a != account]:
        assumed = sts_backends[sts_account][partition].get_assumed_role_from_access_key(access_key)
        if assumed is not None:
            return assumed.role_arn
    user = iam_backends[account][partition].get_user_from_access_key_id(access_key)
    if user is not None:
        return user.arn
    return f"arn:{partition}:iam::{account}:root"
