"""Finding a cluster by name: the one look-up every EKS operation starts with.

Kept apart from `clusters` (the cluster operations, which create the creator's bootstrap
access entry) so that `access_entries`, `pod_identity` and `addons` can find a cluster
without importing `clusters`, and `clusters` can import `access_entries` without a cycle.
"""

from .errors import cluster_not_found
from .store import Cluster, region_store


def get_cluster(context, name: str) -> Cluster:
    """The cluster `name` in the caller's account and region, or EKS's not-found error."""
    cluster = region_store(context.account_id, context.region).clusters.get(name)
    if cluster is None:
        raise cluster_not_found(name)
    return cluster
