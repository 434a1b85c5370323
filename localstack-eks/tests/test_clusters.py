"""Clusters: shape of DescribeCluster, defaults, bootstrap entry, one-way auth mode, delete."""

import base64
import json
import re

import pytest
from conftest import ACCOUNT, REGION, _client, error_of, unique

ISSUER = re.compile(rf"^https://oidc\.eks\.{REGION}\.amazonaws\.com/id/[0-9A-F]{{32}}$")
CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"


def test_create_and_describe_cluster_look_like_eks(eks):
    name = unique("shape")
    created = eks.create_cluster(
        name=name,
        version="1.31",
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks-cluster",
        resourcesVpcConfig={"subnetIds": ["subnet-a"]},
        tags={"team": "platform"},
    )["cluster"]
    assert created["status"] == "CREATING"
    cluster = eks.describe_cluster(name=name)["cluster"]
    assert cluster["status"] == "ACTIVE"
    assert cluster["arn"] == f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/{name}"
    assert cluster["version"] == "1.31"
    assert cluster["roleArn"] == f"arn:aws:iam::{ACCOUNT}:role/eks-cluster"
    assert ISSUER.match(cluster["identity"]["oidc"]["issuer"])
    issuer_id = cluster["identity"]["oidc"]["issuer"].rsplit("/", 1)[1]
    assert cluster["endpoint"] == f"https://{issuer_id}.gr7.{REGION}.eks.amazonaws.com"
    assert base64.b64decode(cluster["certificateAuthority"]["data"]).startswith(b"-----BEGIN CERTIFICATE-----")
    # No accessConfig in the request: CONFIG_MAP, creator bootstrap on, as the real API does.
    assert cluster["accessConfig"] == {
        "authenticationMode": "CONFIG_MAP",
        "bootstrapClusterCreatorAdminPermissions": True,
    }
    assert cluster["tags"] == {"team": "platform"}
    assert cluster["createdAt"] is not None
    assert cluster["resourcesVpcConfig"]["vpcId"].startswith("vpc-")
    assert name in eks.list_clusters()["clusters"]


def test_default_version_is_set(make_cluster, eks):
    assert re.match(r"^1\.\d+$", eks.describe_cluster(name=make_cluster())["cluster"]["version"])


def test_duplicate_cluster_is_resource_in_use(make_cluster, eks):
    name = make_cluster()
    with pytest.raises(eks.exceptions.ResourceInUseException) as excinfo:
        eks.create_cluster(name=name, roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={})
    assert error_of(excinfo)[2] == 409


def test_missing_cluster_is_resource_not_found(eks):
    with pytest.raises(eks.exceptions.ResourceNotFoundException) as excinfo:
        eks.describe_cluster(name="no-such-cluster")
    assert error_of(excinfo) == (
        "ResourceNotFoundException", "No cluster found for name: no-such-cluster.", 404,
    )


@pytest.mark.parametrize("name", ["-bad", "has space", "x" * 101])
def test_invalid_cluster_name_is_rejected(eks, name):
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_cluster(name=name, roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={})


def test_config_map_without_bootstrap_is_rejected(eks):
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_cluster(
            name=unique("cm"), roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={},
            accessConfig={"authenticationMode": "CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": False},
        )
    assert "bootstrapClusterCreatorAdminPermissions must be true" in error_of(excinfo)[1]


def test_bootstrap_entry_for_root_caller(make_cluster, eks):
    name = make_cluster(mode="API", bootstrap=None)
    root = f"arn:aws:iam::{ACCOUNT}:root"
    assert eks.list_access_entries(clusterName=name)["accessEntries"] == [root]
    policies = eks.list_associated_access_policies(clusterName=name, principalArn=root)
    assert [(p["policyArn"], p["accessScope"]["type"]) for p in policies["associatedAccessPolicies"]] == [
        (CLUSTER_ADMIN, "cluster")
    ]


def test_bootstrap_entry_for_assumed_role_is_the_role(iam, sts, endpoint):
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]})
    role_arn = iam.create_role(RoleName=unique("creator"), Path="/ci/", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="pipeline")["Credentials"]
    import boto3
    from botocore.config import Config
    session_eks = boto3.client(
        "eks", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"],
        config=Config(retries={"total_max_attempts": 1}),
    )
    name = unique("by-role")
    session_eks.create_cluster(
        name=name, roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={},
        accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"},
    )
    try:
        assert session_eks.list_access_entries(clusterName=name)["accessEntries"] == [role_arn]
        entry = session_eks.describe_access_entry(clusterName=name, principalArn=role_arn)["accessEntry"]
        assert entry["username"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role_arn.rsplit('/', 1)[1]}/{{{{SessionName}}}}"
    finally:
        session_eks.delete_cluster(name=name)


def test_no_bootstrap_entry_when_disabled(make_cluster, eks):
    assert eks.list_access_entries(clusterName=make_cluster(mode="API", bootstrap=False))["accessEntries"] == []


def test_authentication_mode_moves_one_way(make_cluster, eks):
    name = make_cluster(mode=None, bootstrap=None)
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.update_cluster_config(name=name, accessConfig={"authenticationMode": "API"})
    assert error_of(excinfo)[1] == "Unsupported authentication mode update from CONFIG_MAP to API"

    update = eks.update_cluster_config(name=name, accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})["update"]
    assert update["type"] == "AccessConfigUpdate" and update["status"] == "InProgress"
    assert eks.describe_update(name=name, updateId=update["id"])["update"]["status"] == "Successful"
    assert eks.describe_cluster(name=name)["cluster"]["accessConfig"]["authenticationMode"] == "API_AND_CONFIG_MAP"
    # Access entries are now allowed; the creator got none (bootstrap happens at creation only).
    assert eks.list_access_entries(clusterName=name)["accessEntries"] == []

    eks.update_cluster_config(name=name, accessConfig={"authenticationMode": "API"})
    for back in ("API_AND_CONFIG_MAP", "CONFIG_MAP", "API"):
        with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
            eks.update_cluster_config(name=name, accessConfig={"authenticationMode": back})
        assert error_of(excinfo)[1] == f"Unsupported authentication mode update from API to {back}"


def test_delete_cluster_deletes_what_hangs_off_it(make_cluster, eks, role):
    name = make_cluster(mode="API")
    eks.create_access_entry(clusterName=name, principalArn=role)
    eks.create_pod_identity_association(clusterName=name, namespace="app", serviceAccount="sa", roleArn=role)
    eks.create_addon(clusterName=name, addonName="eks-pod-identity-agent")
    deleted = eks.delete_cluster(name=name)["cluster"]
    assert deleted["status"] == "DELETING"
    with pytest.raises(eks.exceptions.ResourceNotFoundException):
        eks.describe_cluster(name=name)
    eks.create_cluster(
        name=name, roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={},
        accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
    )
    assert eks.list_access_entries(clusterName=name)["accessEntries"] == []
    assert eks.list_pod_identity_associations(clusterName=name)["associations"] == []
    assert eks.list_addons(clusterName=name)["addons"] == []


def test_list_clusters_paginates_per_region(endpoint):
    """Clusters are per region: eu-west-3 holds only this test's clusters."""
    import boto3
    from botocore.config import Config

    eks = _client("eks", endpoint)
    other = boto3.client(
        "eks", endpoint_url=endpoint, region_name="eu-west-3",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(parameter_validation=False),
    )
    names = sorted(unique("page") for _ in range(5))
    for name in names:
        other.create_cluster(name=name, roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={})
    try:
        pages, token = [], None
        while True:
            kwargs = {"maxResults": 2} | ({"nextToken": token} if token else {})
            page = other.list_clusters(**kwargs)
            pages.append(page["clusters"])
            token = page.get("nextToken")
            if not token:
                break
        assert pages == [names[0:2], names[2:4], names[4:5]]
        assert not set(names) & set(eks.list_clusters()["clusters"])
        for bad in (0, 101):
            with pytest.raises(other.exceptions.InvalidParameterException):
                other.list_clusters(maxResults=bad)
        with pytest.raises(other.exceptions.InvalidParameterException):
            other.list_clusters(nextToken="not-a-token")
    finally:
        for name in names:
            other.delete_cluster(name=name)
