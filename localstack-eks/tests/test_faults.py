"""Fault injection over /_eksrole/faults: errors, counts, latency, IAM/STS, IAM propagation."""

import json
import time

import botocore.exceptions
import pytest
from conftest import ACCOUNT, TRUST_PODS, error_of, unique

INVALID_PRINCIPAL = "The specified principalArn is invalid: invalid principal."


def trust_naming(principal_arn: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": principal_arn}, "Action": "sts:AssumeRole"}]})


def test_eks_error_for_the_next_n_calls(api, eks):
    rule = api.add_fault(service="eks", operation="ListClusters", count=2,
                         error={"code": "ThrottlingException", "message": "Rate exceeded"})
    assert rule["error"]["status"] == 429
    for _ in range(2):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            eks.list_clusters()
        assert error_of(excinfo) == ("ThrottlingException", "Rate exceeded", 429)
    eks.list_clusters()
    [listed] = api.faults()["rules"]
    assert listed["count"] == 0 and listed["hits"] == 2


def test_server_exception_and_custom_message(api, eks, make_cluster, role):
    cluster = make_cluster()
    api.add_fault(service="eks", operation="CreateAccessEntry", error={"code": "ServerException"})
    with pytest.raises(eks.exceptions.ServerException) as excinfo:
        eks.create_access_entry(clusterName=cluster, principalArn=role)
    assert error_of(excinfo)[2] == 500
    api.add_fault(service="eks", operation="CreateAccessEntry",
                  error={"code": "InvalidParameterException", "message": INVALID_PRINCIPAL})
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_access_entry(clusterName=cluster, principalArn=role)
    assert error_of(excinfo) == ("InvalidParameterException", INVALID_PRINCIPAL, 400)
    # The faulted calls never reached the emulator: the entry can still be created.
    eks.create_access_entry(clusterName=cluster, principalArn=role)


def test_forever_until_cleared(api, eks):
    api.add_fault(service="eks", operation="*", count=-1, error={"code": "ServiceUnavailableException"})
    for _ in range(3):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            eks.list_access_policies()
        assert error_of(excinfo)[:1] == ("ServiceUnavailableException",) and error_of(excinfo)[2] == 503
    api.clear_faults()
    eks.list_access_policies()


def test_iam_errors_use_iams_xml_format(api, iam):
    api.add_fault(service="iam", operation="CreateRole",
                  error={"code": "MalformedPolicyDocument", "message": "Invalid principal in policy"})
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException) as excinfo:
        iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=TRUST_PODS)
    assert error_of(excinfo) == ("MalformedPolicyDocument", "Invalid principal in policy", 400)

    api.add_fault(service="iam", operation="GetRole", error={"code": "Throttling"})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.get_role(RoleName="anything")
    assert error_of(excinfo) == ("Throttling", "Rate exceeded", 400)


def test_sts_fault(api, sts):
    api.add_fault(service="sts", operation="GetCallerIdentity", error={"code": "Throttling"})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        sts.get_caller_identity()
    assert error_of(excinfo)[0] == "Throttling"
    assert sts.get_caller_identity()["Account"] == ACCOUNT


def test_latency(api, eks, iam):
    api.add_fault(service="eks", operation="ListAccessPolicies", latency_ms=600)
    started = time.monotonic()
    eks.list_access_policies()
    assert time.monotonic() - started >= 0.6
    started = time.monotonic()
    eks.list_access_policies()  # count defaults to 1: the next call is fast again
    assert time.monotonic() - started < 0.5

    api.add_fault(service="iam", operation="ListRoles", latency_ms=400, error={"code": "ServiceFailure"})
    started = time.monotonic()
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.list_roles()
    assert time.monotonic() - started >= 0.4 and error_of(excinfo)[0] == "ServiceFailure"


@pytest.mark.parametrize(
    "spec",
    [
        {"service": "s3", "operation": "ListBuckets", "error": {"code": "X"}},
        {"service": "eks", "operation": "ListClusters"},
        {"service": "eks", "operation": "ListClusters", "count": 0, "error": {"code": "X"}},
        {"service": "eks", "operation": "ListClusters", "error": {"code": "X", "status": 200}},
        {"iam_propagation_seconds": -1},
    ],
)
def test_invalid_rules_are_refused(api, spec):
    status, body = api.request("POST", "/_eksrole/faults", spec)
    assert status == 400 and body["error"]


def test_iam_propagation_mode(api, eks, iam, make_cluster):
    cluster = make_cluster()
    old_role = iam.create_role(RoleName=unique("old"), AssumeRolePolicyDocument=TRUST_PODS)["Role"]["Arn"]
    time.sleep(1.6)
    api.add_fault(iam_propagation_seconds=1.5)
    assert api.faults()["iam_propagation_seconds"] == 1.5
    new_role = iam.create_role(RoleName=unique("new"), AssumeRolePolicyDocument=TRUST_PODS)["Role"]["Arn"]
    new_user = iam.create_user(UserName=unique("user"))["User"]["Arn"]

    # EKS does not see the new principals yet...
    for principal in (new_role, new_user):
        with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
            eks.create_access_entry(clusterName=cluster, principalArn=principal)
        assert error_of(excinfo)[1] == INVALID_PRINCIPAL
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_pod_identity_association(clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=new_role)
    assert error_of(excinfo)[1] == "Role provided in the request does not exist"
    # ...nor does IAM in a trust policy.
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException) as excinfo:
        iam.create_role(RoleName=unique("trusting"), AssumeRolePolicyDocument=trust_naming(new_role))
    assert error_of(excinfo)[1] == "Invalid principal in policy"
    trusting = iam.create_role(RoleName=unique("trusting"), AssumeRolePolicyDocument=trust_naming(old_role))["Role"]
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
        iam.update_assume_role_policy(RoleName=trusting["RoleName"], PolicyDocument=trust_naming(new_user))

    # An old principal works throughout, and the new ones once the window has passed.
    eks.create_access_entry(clusterName=cluster, principalArn=old_role)
    time.sleep(1.6)
    eks.create_access_entry(clusterName=cluster, principalArn=new_role)
    eks.create_pod_identity_association(clusterName=cluster, namespace="ns", serviceAccount="sa", roleArn=new_role)
    iam.update_assume_role_policy(RoleName=trusting["RoleName"], PolicyDocument=trust_naming(new_user))


def test_clearing_turns_propagation_mode_off(api):
    api.add_fault(iam_propagation_seconds=30)
    api.clear_faults()
    assert api.faults() == {"rules": [], "iam_propagation_seconds": 0.0}
