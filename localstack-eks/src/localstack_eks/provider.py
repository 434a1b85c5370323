"""The EKS dispatch table: operation name -> handler, each wrapped with model validation
and the store lock."""

import functools

from localstack.aws.spec import load_service

from . import access_entries, access_policies, addons, clusters, pod_identity, tags
from .store import LOCK
from .validation import check_request

OPERATIONS = {
    "CreateCluster": clusters.create_cluster,
    "DescribeCluster": clusters.describe_cluster,
    "ListClusters": clusters.list_clusters,
    "DeleteCluster": clusters.delete_cluster,
    "UpdateClusterConfig": clusters.update_cluster_config,
    "DescribeUpdate": clusters.describe_update,
    "CreateAddon": addons.create_addon,
    "DescribeAddon": addons.describe_addon,
    "ListAddons": addons.list_addons,
    "DeleteAddon": addons.delete_addon,
    "CreateAccessEntry": access_entries.create_access_entry,
    "DescribeAccessEntry": access_entries.describe_access_entry,
    "ListAccessEntries": access_entries.list_access_entries,
    "UpdateAccessEntry": access_entries.update_access_entry,
    "DeleteAccessEntry": access_entries.delete_access_entry,
    "AssociateAccessPolicy": access_entries.associate_access_policy,
    "DisassociateAccessPolicy": access_entries.disassociate_access_policy,
    "ListAssociatedAccessPolicies": access_entries.list_associated_access_policies,
    "ListAccessPolicies": access_policies.list_access_policies,
    "CreatePodIdentityAssociation": pod_identity.create_pod_identity_association,
    "DescribePodIdentityAssociation": pod_identity.describe_pod_identity_association,
    "ListPodIdentityAssociations": pod_identity.list_pod_identity_associations,
    "UpdatePodIdentityAssociation": pod_identity.update_pod_identity_association,
    "DeletePodIdentityAssociation": pod_identity.delete_pod_identity_association,
    "TagResource": tags.tag_resource,
    "UntagResource": tags.untag_resource,
    "ListTagsForResource": tags.list_tags_for_resource,
}


def _serve(handler):
    @functools.wraps(handler)
    def serve(context, request):
        check_request(context.operation, request)
        with LOCK:
            return handler(context, request)

    return serve


def dispatch_table() -> dict:
    service = load_service("eks")
    missing = set(OPERATIONS) - set(service.operation_names)
    if missing:
        raise RuntimeError(f"botocore's EKS model lacks operations: {sorted(missing)}")
    return {name: _serve(handler) for name, handler in OPERATIONS.items()}
