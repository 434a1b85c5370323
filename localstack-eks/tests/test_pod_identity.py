"""Pod Identity associations: lifecycle, one per service account, role checks, paging."""

import json
import re

import pytest
from conftest import ACCOUNT, REGION, TRUST_PODS, error_of, unique


def test_association_lifecycle(make_cluster, eks, make_role):
    cluster = make_cluster(mode=None, bootstrap=None)  # works on CONFIG_MAP clusters too
    role, other_role = make_role(), make_role(path="/workloads/")
    association = eks.create_pod_identity_association(
        clusterName=cluster, namespace="payments", serviceAccount="api", roleArn=role, tags={"k": "v"}
    )["association"]
    assoc_id = association["associationId"]
    assert re.match(r"^a-[a-z0-9]{17}$", assoc_id)
    assert association["associationArn"] == f"arn:aws:eks:{REGION}:{ACCOUNT}:podidentityassociation/{cluster}/{assoc_id}"
    assert (association["namespace"], association["serviceAccount"], association["roleArn"]) == ("payments", "api", role)
    assert association["disableSessionTags"] is False and association["tags"] == {"k": "v"}
    described = eks.describe_pod_identity_association(clusterName=cluster, associationId=assoc_id)["association"]
    assert described == association

    updated = eks.update_pod_identity_association(
        clusterName=cluster, associationId=assoc_id, roleArn=other_role,
        targetRoleArn="arn:aws:iam::111122223333:role/target", disableSessionTags=True,
    )["association"]
    assert updated["roleArn"] == other_role and updated["disableSessionTags"] is True
    assert updated["targetRoleArn"] == "arn:aws:iam::111122223333:role/target" and updated["externalId"]

    deleted = eks.delete_pod_identity_association(clusterName=cluster, associationId=assoc_id)["association"]
    assert deleted["associationId"] == assoc_id
    with pytest.raises(eks.exceptions.ResourceNotFoundException):
        eks.describe_pod_identity_association(clusterName=cluster, associationId=assoc_id)


def test_target_role_on_create(make_cluster, eks, role):
    association = eks.create_pod_identity_association(
        clusterName=make_cluster(), namespace="ns", serviceAccount="sa", roleArn=role,
        targetRoleArn="arn:aws:iam::111122223333:role/cross", disableSessionTags=True,
    )["association"]
    assert association["targetRoleArn"] == "arn:aws:iam::111122223333:role/cross"
    assert association["disableSessionTags"] is True


def test_one_association_per_service_account(make_cluster, eks, make_role):
    cluster = make_cluster()
    eks.create_pod_identity_association(clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=make_role())
    with pytest.raises(eks.exceptions.ResourceInUseException) as excinfo:
        eks.create_pod_identity_association(clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=make_role())
    assert error_of(excinfo) == ("ResourceInUseException", "Association already exists", 409)
    # Another service account, or the same name in another namespace, is fine.
    eks.create_pod_identity_association(clusterName=cluster, namespace="ns", serviceAccount="sb", roleArn=make_role())
    eks.create_pod_identity_association(clusterName=cluster, namespace="nt", serviceAccount="sa", roleArn=make_role())


@pytest.mark.parametrize(
    "role_arn",
    [f"arn:aws:iam::{ACCOUNT}:role/missing-role", f"arn:aws:iam::{ACCOUNT}:role/wrong/path/name"],
)
def test_role_must_exist(make_cluster, eks, role_arn):
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_pod_identity_association(clusterName=make_cluster(), namespace="ns", serviceAccount="sa", roleArn=role_arn)
    assert error_of(excinfo) == ("InvalidParameterException", "Role provided in the request does not exist", 400)


def test_role_must_be_in_the_cluster_account(make_cluster, eks, endpoint):
    import boto3

    other_iam = boto3.client(
        "iam", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="111111111111", aws_secret_access_key="test",
    )
    foreign = other_iam.create_role(RoleName=unique("foreign"), AssumeRolePolicyDocument=TRUST_PODS)["Role"]["Arn"]
    assert ":111111111111:" in foreign
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_pod_identity_association(clusterName=make_cluster(), namespace="ns", serviceAccount="sa", roleArn=foreign)


def test_update_to_missing_role_is_refused(make_cluster, eks, role):
    cluster = make_cluster()
    assoc_id = eks.create_pod_identity_association(
        clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=role)["association"]["associationId"]
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.update_pod_identity_association(
            clusterName=cluster, associationId=assoc_id, roleArn=f"arn:aws:iam::{ACCOUNT}:role/nope")
    assert error_of(excinfo)[1] == "Role provided in the request does not exist"


@pytest.mark.parametrize("namespace, service_account", [("Bad_NS", "sa"), ("ns", "Bad SA"), ("-ns", "sa")])
def test_kubernetes_names_are_checked(make_cluster, eks, role, namespace, service_account):
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_pod_identity_association(
            clusterName=make_cluster(), namespace=namespace, serviceAccount=service_account, roleArn=role)


def test_missing_cluster(eks, role):
    with pytest.raises(eks.exceptions.ResourceNotFoundException) as excinfo:
        eks.create_pod_identity_association(clusterName="ghost", namespace="ns", serviceAccount="sa", roleArn=role)
    assert error_of(excinfo)[1] == "No cluster found for name: ghost."


def test_list_filters_and_paginates(make_cluster, eks, role):
    cluster = make_cluster()
    for index in range(5):
        eks.create_pod_identity_association(
            clusterName=cluster, namespace="a" if index < 3 else "b", serviceAccount=f"sa{index}", roleArn=role)
    assert len(eks.list_pod_identity_associations(clusterName=cluster, namespace="a")["associations"]) == 3
    only = eks.list_pod_identity_associations(clusterName=cluster, namespace="b", serviceAccount="sa4")["associations"]
    assert [(a["namespace"], a["serviceAccount"]) for a in only] == [("b", "sa4")]
    first = eks.list_pod_identity_associations(clusterName=cluster, maxResults=2)
    second = eks.list_pod_identity_associations(clusterName=cluster, maxResults=2, nextToken=first["nextToken"])
    third = eks.list_pod_identity_associations(clusterName=cluster, maxResults=2, nextToken=second["nextToken"])
    ids = [a["associationId"] for page in (first, second, third) for a in page["associations"]]
    assert len(ids) == len(set(ids)) == 5 and "nextToken" not in third


SESSION_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/tenant-a/*"}]})


def test_session_policy_needs_session_tags_disabled(make_cluster, eks, role):
    cluster = make_cluster()
    for extra in ({}, {"disableSessionTags": False}):
        with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
            eks.create_pod_identity_association(
                clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=role,
                policy=SESSION_POLICY, **extra)
        assert error_of(excinfo)[0] == "InvalidParameterException" and "disableSessionTags" in error_of(excinfo)[1]
    assert eks.list_pod_identity_associations(clusterName=cluster)["associations"] == [], "nothing created"
    created = eks.create_pod_identity_association(
        clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=role,
        policy=SESSION_POLICY, disableSessionTags=True)["association"]
    assert created["policy"] == SESSION_POLICY and created["disableSessionTags"] is True
    described = eks.describe_pod_identity_association(
        clusterName=cluster, associationId=created["associationId"])["association"]
    assert described["policy"] == SESSION_POLICY


def test_update_keeps_session_settings_consistent(make_cluster, eks, role):
    cluster = make_cluster()
    assoc_id = eks.create_pod_identity_association(
        clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=role)["association"]["associationId"]
    # A policy on an association whose session tags are on: refused, nothing changed.
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.update_pod_identity_association(clusterName=cluster, associationId=assoc_id, policy=SESSION_POLICY)
    assert "policy" not in eks.describe_pod_identity_association(
        clusterName=cluster, associationId=assoc_id)["association"]
    updated = eks.update_pod_identity_association(
        clusterName=cluster, associationId=assoc_id, policy=SESSION_POLICY, disableSessionTags=True)["association"]
    assert updated["policy"] == SESSION_POLICY
    # Turning session tags back on while the policy stays: refused.
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.update_pod_identity_association(clusterName=cluster, associationId=assoc_id, disableSessionTags=False)
    # Removing the policy (empty string) and turning tags on together is fine.
    cleared = eks.update_pod_identity_association(
        clusterName=cluster, associationId=assoc_id, policy="", disableSessionTags=False)["association"]
    assert "policy" not in cleared and cleared["disableSessionTags"] is False


@pytest.mark.parametrize("policy", ["not json", "[]", json.dumps({"Version": "2012-10-17"})])
def test_session_policy_must_be_a_policy_document(make_cluster, eks, role, policy):
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_pod_identity_association(
            clusterName=make_cluster(), namespace="ns", serviceAccount="sa", roleArn=role,
            policy=policy, disableSessionTags=True)


def test_session_policy_size_limit(make_cluster, eks, role):
    cluster = make_cluster()

    def policy(length: int) -> str:
        base = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::"}]})
        doc = json.loads(base)
        doc["Statement"][0]["Resource"] += "b" * (length - len(base))
        text = json.dumps(doc)
        assert len(text) == length
        return text

    eks.create_pod_identity_association(
        clusterName=cluster, namespace="ns", serviceAccount="ok", roleArn=role,
        policy=policy(2048), disableSessionTags=True)
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_pod_identity_association(
            clusterName=cluster, namespace="ns", serviceAccount="big", roleArn=role,
            policy=policy(2049), disableSessionTags=True)
    assert "2048" in error_of(excinfo)[1]


def test_external_id_for_target_roles(make_cluster, eks, role):
    cluster = make_cluster()
    target = "arn:aws:iam::111122223333:role/cross"
    plain = eks.create_pod_identity_association(
        clusterName=cluster, namespace="ns", serviceAccount="plain", roleArn=role)["association"]
    assert "externalId" not in plain
    chained = eks.create_pod_identity_association(
        clusterName=cluster, namespace="ns", serviceAccount="chained", roleArn=role,
        targetRoleArn=target)["association"]
    # The form the EKS user guide's target-role trust policy shows.
    assert chained["externalId"] == f"{REGION}/{ACCOUNT}/{cluster}/ns/chained"
    # Added with a target role on update, kept while one is set, gone with it.
    added = eks.update_pod_identity_association(
        clusterName=cluster, associationId=plain["associationId"], targetRoleArn=target)["association"]
    assert added["externalId"] == f"{REGION}/{ACCOUNT}/{cluster}/ns/plain"
    removed = eks.update_pod_identity_association(
        clusterName=cluster, associationId=plain["associationId"], targetRoleArn="")["association"]
    assert "externalId" not in removed and "targetRoleArn" not in removed
