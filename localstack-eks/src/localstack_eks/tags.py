"""TagResource, UntagResource and ListTagsForResource for clusters, add-ons, access entries
and Pod Identity associations, found by ARN."""

import re

from .errors import BadRequestException, NotFoundException
from .store import region_store
from .validation import check_tags

EKS_ARN = re.compile(
    r"^arn:aws[a-zA-Z-]*:eks:([a-z0-9-]+):(\d{12}):"
    r"(cluster|addon|access-entry|podidentityassociation)/([^/]+)(/.*)?$"
)


def _tagged(resource_arn: str):
    """The stored object (anything with a `tags` dict) that has this ARN."""
    match = EKS_ARN.match(resource_arn)
    if match is None:
        raise BadRequestException(f"Invalid ARN: {resource_arn}")
    region, account, kind, cluster_name, _ = match.groups()
    cluster = region_store(account, region).clusters.get(cluster_name)
    found = None
    if cluster is not None:
        if kind == "cluster":
            found = cluster if cluster.arn == resource_arn else None
        elif kind == "addon":
            found = next((a for a in cluster.addons.values() if a.arn == resource_arn), None)
        elif kind == "access-entry":
            found = next((e for e in cluster.access_entries.values() if e.arn == resource_arn), None)
        else:
            found = next((a for a in cluster.associations.values() if a.arn == resource_arn), None)
    if found is None:
        raise NotFoundException(f"Resource not found: {resource_arn}")
    return found


def tag_resource(context, request: dict) -> dict:
    resource = _tagged(request["resourceArn"])
    check_tags(request["tags"])
    merged = dict(resource.tags, **request["tags"])
    check_tags(merged)
    resource.tags = merged
    return {}


def untag_resource(context, request: dict) -> dict:
    resource = _tagged(request["resourceArn"])
    for key in request["tagKeys"]:
        resource.tags.pop(key, None)
    return {}


def list_tags_for_resource(context, request: dict) -> dict:
    return {"tags": dict(_tagged(request["resourceArn"]).tags)}
