"""Input checks: the EKS model's own constraints, plus the rules EKS enforces beyond the model.

`check_request` walks botocore's input shape for the operation (required members, enums,
lengths, numeric ranges), so every operation gets the model's bounds without a hand-written
list. The functions below it hold the rules the model cannot express (Kubernetes names,
reserved prefixes, ARNs).
"""

import re

from botocore.model import OperationModel, Shape

from .errors import BadRequestException, InvalidParameterException

CLUSTER_NAME = re.compile(r"^[0-9A-Za-z][A-Za-z0-9\-_]*$")
# Kubernetes DNS-1123 label (namespace) and subdomain (service account).
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
ROLE_ARN = re.compile(r"^arn:(aws[a-zA-Z-]*):iam::(\d{12}):role(/[\x21-\x7e]*/|/)?([\w+=,.@-]+)$")
RESERVED_USERNAME_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")
RESERVED_GROUP_PREFIX = "system:"


def _violation(path: str, value, constraint: str) -> InvalidParameterException:
    shown = "null" if value is None else f"'{value}'"
    return InvalidParameterException(
        f"1 validation error detected: Value {shown} at '{path}' failed to satisfy constraint: "
        f"{constraint}"
    )


def check_request(operation: OperationModel, request: dict) -> None:
    """Raise InvalidParameterException on the first value the model forbids."""
    if operation.input_shape is not None:
        _check_shape(operation.input_shape, request, "")


def _check_shape(shape: Shape, value, path: str) -> None:
    if value is None:
        return
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        for name in shape.required_members:
            if value.get(name) is None:
                raise _violation(path + name, None, "Member must not be null")
        for name, member in shape.members.items():
            if name in value:
                _check_shape(member, value[name], f"{path}{name}.")
        return
    label = path.rstrip(".")
    if kind == "string":
        if shape.enum and value not in shape.enum:
            raise _violation(
                label, value, f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
            )
        _check_length(label, value, len(value), meta)
    elif kind == "list":
        _check_length(label, value, len(value), meta)
        for item in value:
            _check_shape(shape.member, item, path)
    elif kind == "map":
        _check_length(label, value, len(value), meta)
        for key, item in value.items():
            _check_shape(shape.key, key, path)
            _check_shape(shape.value, item, path)
    elif kind in ("integer", "long"):
        if "min" in meta and value < meta["min"]:
            raise _violation(
                label, value, f"Member must have value greater than or equal to {meta['min']}"
            )
        if "max" in meta and value > meta["max"]:
            raise _violation(
                label, value, f"Member must have value less than or equal to {meta['max']}"
            )


def _check_length(label: str, value, length: int, meta: dict) -> None:
    if "min" in meta and length < meta["min"]:
        raise _violation(
            label, value, f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and length > meta["max"]:
        raise _violation(
            label, value, f"Member must have length less than or equal to {meta['max']}"
        )


def check_cluster_name(name: str) -> None:
    if not CLUSTER_NAME.match(name or "") or len(name) > 100:
        raise InvalidParameterException(
            f"The cluster name '{name}' is invalid: it must be 1-100 characters, start with a "
            "letter or digit and contain only letters, digits, hyphens and underscores."
        )


def check_namespace(namespace: str) -> None:
    if len(namespace) > 63 or not DNS_LABEL.match(namespace):
        raise InvalidParameterException(
            f"The namespace '{namespace}' is invalid: it must be a DNS-1123 label "
            "(at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit)."
        )


def check_service_account(name: str) -> None:
    if len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        raise InvalidParameterException(
            f"The service account name '{name}' is invalid: it must be a DNS-1123 subdomain."
        )


def check_scope_namespace(namespace: str) -> None:
    """Access-scope namespaces may end in one `*` wildcard after a non-empty prefix."""
    if namespace.endswith("*"):
        valid = re.match(r"^[a-z0-9][-a-z0-9]*\*$", namespace) is not None
    else:
        valid = DNS_LABEL.match(namespace) is not None
    if not valid or len(namespace) > 63:
        raise InvalidParameterException(
            f"The namespace '{namespace}' is invalid: it must be a DNS-1123 label, optionally "
            "ending in '*'."
        )


def check_username(username: str) -> None:
    for prefix in RESERVED_USERNAME_PREFIXES:
        if username.startswith(prefix):
            raise InvalidParameterException(f"The username must not begin with {prefix}")
    index = username.find("{{SessionName}}")
    if index == 0 or (index > 0 and username[index - 1] != ":"):
        raise InvalidParameterException(
            "The username is invalid: {{SessionName}} must follow a colon (:)."
        )


def check_groups(groups: list[str]) -> None:
    for group in groups:
        if group.startswith(RESERVED_GROUP_PREFIX):
            raise InvalidParameterException(
                f"The kubernetes group name {group} is invalid, it cannot start with system:"
            )


def check_tags(tags: dict[str, str] | None, error=BadRequestException) -> None:
    for key in tags or {}:
        if key.lower().startswith("aws:"):
            raise error(f"Tag keys starting with 'aws:' are reserved for system use: {key}")
        if not key or len(key) > 128:
            raise error(f"Tag key '{key}' must be 1-128 characters long.")
        if len(tags[key]) > 256:
            raise error(f"The value of tag '{key}' must be at most 256 characters long.")
    if tags is not None and len(tags) > 50:
        raise error("A resource can have at most 50 tags.")
