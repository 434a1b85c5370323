"""TagResource, UntagResource, ListTagsForResource on every taggable EKS object."""

import pytest
from conftest import ACCOUNT


def test_tags_on_cluster_entry_and_association(make_cluster, eks, role):
    cluster = make_cluster()
    cluster_arn = eks.describe_cluster(name=cluster)["cluster"]["arn"]
    entry_arn = eks.create_access_entry(clusterName=cluster, principalArn=role)["accessEntry"]["accessEntryArn"]
    assoc_arn = eks.create_pod_identity_association(
        clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=role)["association"]["associationArn"]
    addon_arn = eks.create_addon(clusterName=cluster, addonName="coredns")["addon"]["addonArn"]
    for arn in (cluster_arn, entry_arn, assoc_arn, addon_arn):
        eks.tag_resource(resourceArn=arn, tags={"owner": "eksrole", "env": "test"})
        eks.untag_resource(resourceArn=arn, tagKeys=["env"])
        assert eks.list_tags_for_resource(resourceArn=arn)["tags"] == {"owner": "eksrole"}
    assert eks.describe_cluster(name=cluster)["cluster"]["tags"] == {"owner": "eksrole"}


def test_reserved_prefix_and_unknown_resources(make_cluster, eks):
    cluster_arn = eks.describe_cluster(name=make_cluster())["cluster"]["arn"]
    with pytest.raises(eks.exceptions.BadRequestException):
        eks.tag_resource(resourceArn=cluster_arn, tags={"aws:reserved": "x"})
    with pytest.raises(eks.exceptions.NotFoundException):
        eks.list_tags_for_resource(resourceArn=f"arn:aws:eks:us-east-1:{ACCOUNT}:cluster/ghost")
    with pytest.raises(eks.exceptions.BadRequestException):
        eks.list_tags_for_resource(resourceArn="arn:aws:s3:::bucket")
