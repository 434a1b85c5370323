"""Add-ons: create, describe, list, delete, and add-on-owned Pod Identity associations."""

import pytest
from conftest import error_of


def test_addon_lifecycle(make_cluster, eks):
    cluster = make_cluster()
    addon = eks.create_addon(clusterName=cluster, addonName="eks-pod-identity-agent")["addon"]
    assert addon["status"] == "ACTIVE" and addon["addonVersion"].startswith("v")
    assert addon["addonArn"].startswith(f"arn:aws:eks:us-east-1:000000000000:addon/{cluster}/eks-pod-identity-agent/")
    assert eks.describe_addon(clusterName=cluster, addonName="eks-pod-identity-agent")["addon"] == addon
    assert eks.list_addons(clusterName=cluster)["addons"] == ["eks-pod-identity-agent"]
    with pytest.raises(eks.exceptions.ResourceInUseException):
        eks.create_addon(clusterName=cluster, addonName="eks-pod-identity-agent")
    eks.delete_addon(clusterName=cluster, addonName="eks-pod-identity-agent")
    with pytest.raises(eks.exceptions.ResourceNotFoundException) as excinfo:
        eks.describe_addon(clusterName=cluster, addonName="eks-pod-identity-agent")
    assert error_of(excinfo)[1] == f"No addon: eks-pod-identity-agent found in cluster: {cluster}"


def test_unknown_addon_is_refused(make_cluster, eks):
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_addon(clusterName=make_cluster(), addonName="not-an-addon")


def test_addon_pod_identity_associations_belong_to_the_addon(make_cluster, eks, role):
    cluster = make_cluster()
    addon = eks.create_addon(
        clusterName=cluster, addonName="aws-ebs-csi-driver",
        podIdentityAssociations=[{"serviceAccount": "ebs-csi-controller-sa", "roleArn": role}],
    )["addon"]
    assert len(addon["podIdentityAssociations"]) == 1
    [summary] = eks.list_pod_identity_associations(clusterName=cluster)["associations"]
    assert summary["ownerArn"] == addon["addonArn"] and summary["namespace"] == "kube-system"
    eks.delete_addon(clusterName=cluster, addonName="aws-ebs-csi-driver")
    assert eks.list_pod_identity_associations(clusterName=cluster)["associations"] == []


def test_list_addons_paginates(make_cluster, eks):
    cluster = make_cluster()
    for name in ("coredns", "kube-proxy", "vpc-cni"):
        eks.create_addon(clusterName=cluster, addonName=name)
    first = eks.list_addons(clusterName=cluster, maxResults=2)
    second = eks.list_addons(clusterName=cluster, maxResults=2, nextToken=first["nextToken"])
    assert first["addons"] + second["addons"] == ["coredns", "kube-proxy", "vpc-cni"]
