"""Access entries and access-policy associations: happy paths and EKS's validation errors."""

import re

import pytest
from conftest import ACCOUNT, REGION, error_of, unique

INVALID_PRINCIPAL = "The specified principalArn is invalid: invalid principal."
VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
ADMIN_VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"


def test_access_entry_lifecycle(make_cluster, eks, make_role):
    cluster = make_cluster()
    role = make_role(path="/team/platform/")
    role_name = role.rsplit("/", 1)[1]
    entry = eks.create_access_entry(
        clusterName=cluster, principalArn=role, kubernetesGroups=["viewers"], tags={"a": "b"}
    )["accessEntry"]
    assert re.match(
        rf"^arn:aws:eks:{REGION}:{ACCOUNT}:access-entry/{cluster}/role/{ACCOUNT}/{role_name}/[0-9a-f-]{{36}}$",
        entry["accessEntryArn"],
    )
    assert entry["type"] == "STANDARD"
    assert entry["username"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role_name}/{{{{SessionName}}}}"
    assert entry["kubernetesGroups"] == ["viewers"] and entry["tags"] == {"a": "b"}
    assert eks.describe_access_entry(clusterName=cluster, principalArn=role)["accessEntry"] == entry
    assert eks.list_access_entries(clusterName=cluster)["accessEntries"] == [role]

    updated = eks.update_access_entry(
        clusterName=cluster, principalArn=role, kubernetesGroups=["editors"], username="team:{{SessionName}}"
    )["accessEntry"]
    assert updated["kubernetesGroups"] == ["editors"] and updated["username"] == "team:{{SessionName}}"
    assert updated["modifiedAt"] >= entry["modifiedAt"]

    eks.delete_access_entry(clusterName=cluster, principalArn=role)
    with pytest.raises(eks.exceptions.ResourceNotFoundException) as excinfo:
        eks.describe_access_entry(clusterName=cluster, principalArn=role)
    assert error_of(excinfo)[1].startswith("The specified principalArn could not be found.")


def test_user_principal(make_cluster, eks, iam):
    user = iam.create_user(UserName=unique("user"))["User"]["Arn"]
    entry = eks.create_access_entry(clusterName=make_cluster(), principalArn=user)["accessEntry"]
    assert entry["username"] == user
    assert f"/user/{ACCOUNT}/" in entry["accessEntryArn"]


def test_duplicate_entry_is_409(make_cluster, eks, role):
    cluster = make_cluster()
    eks.create_access_entry(clusterName=cluster, principalArn=role)
    with pytest.raises(eks.exceptions.ResourceInUseException) as excinfo:
        eks.create_access_entry(clusterName=cluster, principalArn=role)
    assert error_of(excinfo) == (
        "ResourceInUseException",
        "The specified access entry resource is already in use on this cluster.",
        409,
    )


def test_same_client_request_token_is_idempotent(make_cluster, eks, role):
    cluster = make_cluster()
    first = eks.create_access_entry(clusterName=cluster, principalArn=role, clientRequestToken="t-1")
    again = eks.create_access_entry(clusterName=cluster, principalArn=role, clientRequestToken="t-1")
    assert first["accessEntry"]["accessEntryArn"] == again["accessEntry"]["accessEntryArn"]


@pytest.mark.parametrize(
    "principal",
    [
        f"arn:aws:iam::{ACCOUNT}:role/does-not-exist",
        f"arn:aws:iam::{ACCOUNT}:user/nobody",
        f"arn:aws:sts::{ACCOUNT}:assumed-role/some-role/session",
        "not-an-arn",
    ],
)
def test_principal_must_exist_in_iam(make_cluster, eks, principal):
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_access_entry(clusterName=make_cluster(), principalArn=principal)
    assert error_of(excinfo) == ("InvalidParameterException", INVALID_PRINCIPAL, 400)


def test_principal_arn_must_include_the_path(make_cluster, eks, make_role):
    role = make_role(path="/team/")
    without_path = role.replace("/team/", "/")
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_access_entry(clusterName=make_cluster(), principalArn=without_path)
    assert error_of(excinfo)[1] == INVALID_PRINCIPAL


@pytest.mark.parametrize("path", ["/aws-reserved/sso.amazonaws.com/", "/aws-reserved/sso.amazonaws.com/eu-west-1/"])
def test_identity_center_role_entry_takes_the_full_path(make_cluster, eks, iam, path):
    """An IAM Identity Center role (reserved path, with or without a region) is a STANDARD
    principal like any role: the entry takes its ARN path included; without the path the
    ARN names no role."""
    cluster = make_cluster()
    name = unique("AWSReservedSSO_Dev").replace("-", "_") + "_0123456789abcdef"
    arn = iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    entry = eks.create_access_entry(clusterName=cluster, principalArn=arn)["accessEntry"]
    assert entry["principalArn"] == arn and entry["type"] == "STANDARD"
    eks.associate_access_policy(
        clusterName=cluster, principalArn=arn, policyArn=ADMIN_VIEW, accessScope={"type": "cluster"}
    )
    stripped = f"arn:aws:iam::{ACCOUNT}:role/{name}"
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_access_entry(clusterName=cluster, principalArn=stripped)
    assert error_of(excinfo)[1] == INVALID_PRINCIPAL


@pytest.mark.parametrize(
    "entry_type", ["EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "EC2", "HYPERPOD_LINUX"]
)
def test_every_node_type_is_kept_apart_from_standard(make_cluster, eks, make_role, entry_type):
    """Each type other than STANDARD: the principal's one entry, no access policies."""
    cluster = make_cluster()
    role = make_role()
    entry = eks.create_access_entry(clusterName=cluster, principalArn=role, type=entry_type)["accessEntry"]
    assert entry["type"] == entry_type and entry["kubernetesGroups"] == ["system:nodes"]
    with pytest.raises(eks.exceptions.ResourceInUseException):
        eks.create_access_entry(clusterName=cluster, principalArn=role)
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.associate_access_policy(
            clusterName=cluster, principalArn=role, policyArn=VIEW, accessScope={"type": "cluster"}
        )


def test_service_linked_role_is_refused(make_cluster, eks):
    arn = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/emr-containers.amazonaws.com/AWSServiceRoleForAmazonEMRContainers"
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_access_entry(clusterName=make_cluster(), principalArn=arn)
    assert "Service Linked Role" in error_of(excinfo)[1]


@pytest.mark.parametrize("operation", ["create", "list", "describe"])
def test_config_map_cluster_refuses_access_entries(make_cluster, eks, role, operation):
    cluster = make_cluster(mode="CONFIG_MAP", bootstrap=True)
    calls = {
        "create": lambda: eks.create_access_entry(clusterName=cluster, principalArn=role),
        "list": lambda: eks.list_access_entries(clusterName=cluster),
        "describe": lambda: eks.describe_access_entry(clusterName=cluster, principalArn=role),
    }
    with pytest.raises(eks.exceptions.InvalidRequestException) as excinfo:
        calls[operation]()
    assert error_of(excinfo) == (
        "InvalidRequestException",
        "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        400,
    )


def test_missing_cluster(eks, role):
    with pytest.raises(eks.exceptions.ResourceNotFoundException) as excinfo:
        eks.create_access_entry(clusterName="ghost", principalArn=role)
    assert error_of(excinfo)[1] == "No cluster found for name: ghost."


def test_system_groups_are_refused(make_cluster, eks, role):
    cluster = make_cluster()
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_access_entry(clusterName=cluster, principalArn=role, kubernetesGroups=["ok", "system:masters"])
    assert error_of(excinfo)[1] == "The kubernetes group name system:masters is invalid, it cannot start with system:"
    eks.create_access_entry(clusterName=cluster, principalArn=role)
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.update_access_entry(clusterName=cluster, principalArn=role, kubernetesGroups=["system:nodes"])


@pytest.mark.parametrize("prefix", ["system:", "eks:", "aws:", "amazon:", "iam:"])
def test_reserved_usernames_are_refused(make_cluster, eks, role, prefix):
    cluster = make_cluster()
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.create_access_entry(clusterName=cluster, principalArn=role, username=f"{prefix}someone")
    assert error_of(excinfo)[1] == f"The username must not begin with {prefix}"
    eks.create_access_entry(clusterName=cluster, principalArn=role)
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.update_access_entry(clusterName=cluster, principalArn=role, username=f"{prefix}x")


def test_session_name_must_follow_a_colon(make_cluster, eks, role):
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_access_entry(clusterName=make_cluster(), principalArn=role, username="team-{{SessionName}}")


def test_invalid_type_is_refused(make_cluster, eks, role):
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_access_entry(clusterName=make_cluster(), principalArn=role, type="ADMIN")


def test_node_entries_take_no_groups_or_policies(make_cluster, eks, role, iam):
    cluster = make_cluster()
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_access_entry(clusterName=cluster, principalArn=role, type="EC2_LINUX", kubernetesGroups=["g"])
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_access_entry(clusterName=cluster, principalArn=role, type="EC2_LINUX", username="node")
    user = iam.create_user(UserName=unique("user"))["User"]["Arn"]
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_access_entry(clusterName=cluster, principalArn=user, type="EC2_LINUX")
    entry = eks.create_access_entry(clusterName=cluster, principalArn=role, type="EC2_LINUX")["accessEntry"]
    assert entry["username"] == "system:node:{{EC2PrivateDNSName}}"
    with pytest.raises(eks.exceptions.InvalidParameterException) as excinfo:
        eks.associate_access_policy(clusterName=cluster, principalArn=role, policyArn=VIEW, accessScope={"type": "cluster"})
    assert error_of(excinfo)[1] == 'This operation can only be performed on Access Entries with a type of "STANDARD".'


def test_policy_association_lifecycle(make_cluster, eks, role):
    cluster = make_cluster()
    eks.create_access_entry(clusterName=cluster, principalArn=role)
    associated = eks.associate_access_policy(
        clusterName=cluster, principalArn=role, policyArn=VIEW,
        accessScope={"type": "namespace", "namespaces": ["team-a", "team-b-*"]},
    )
    assert associated["clusterName"] == cluster and associated["principalArn"] == role
    assert associated["associatedAccessPolicy"]["accessScope"] == {"type": "namespace", "namespaces": ["team-a", "team-b-*"]}
    eks.associate_access_policy(clusterName=cluster, principalArn=role, policyArn=EDIT, accessScope={"type": "cluster"})
    # Associating again changes the scope in place.
    eks.associate_access_policy(clusterName=cluster, principalArn=role, policyArn=VIEW, accessScope={"type": "cluster"})
    listed = eks.list_associated_access_policies(clusterName=cluster, principalArn=role)["associatedAccessPolicies"]
    assert sorted((p["policyArn"], p["accessScope"]["type"]) for p in listed) == [(EDIT, "cluster"), (VIEW, "cluster")]
    assert eks.list_access_entries(clusterName=cluster, associatedPolicyArn=EDIT)["accessEntries"] == [role]

    eks.disassociate_access_policy(clusterName=cluster, principalArn=role, policyArn=EDIT)
    assert eks.list_access_entries(clusterName=cluster, associatedPolicyArn=EDIT)["accessEntries"] == []
    with pytest.raises(eks.exceptions.ResourceNotFoundException):
        eks.disassociate_access_policy(clusterName=cluster, principalArn=role, policyArn=EDIT)

    # Deleting the entry deletes its associations.
    eks.delete_access_entry(clusterName=cluster, principalArn=role)
    eks.create_access_entry(clusterName=cluster, principalArn=role)
    assert eks.list_associated_access_policies(clusterName=cluster, principalArn=role)["associatedAccessPolicies"] == []


@pytest.mark.parametrize(
    "policy, scope",
    [
        ("arn:aws:eks::aws:cluster-access-policy/AmazonEKSMadeUpPolicy", {"type": "cluster"}),
        ("arn:aws:iam::aws:policy/AdministratorAccess", {"type": "cluster"}),
        (VIEW, {"type": "cluster", "namespaces": ["a"]}),
        (VIEW, {"type": "namespace"}),
        (VIEW, {"type": "namespace", "namespaces": ["Not_A_Label"]}),
        (VIEW, {"namespaces": ["a"]}),
    ],
)
def test_association_validation(make_cluster, eks, role, policy, scope):
    cluster = make_cluster()
    eks.create_access_entry(clusterName=cluster, principalArn=role)
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.associate_access_policy(clusterName=cluster, principalArn=role, policyArn=policy, accessScope=scope)


def test_association_needs_an_entry(make_cluster, eks, role):
    with pytest.raises(eks.exceptions.ResourceNotFoundException) as excinfo:
        eks.associate_access_policy(clusterName=make_cluster(), principalArn=role, policyArn=VIEW, accessScope={"type": "cluster"})
    assert error_of(excinfo)[2] == 404


def test_list_access_entries_paginates(make_cluster, eks, make_role):
    cluster = make_cluster()
    roles = sorted(make_role() for _ in range(5))
    for role in roles:
        eks.create_access_entry(clusterName=cluster, principalArn=role)
    first = eks.list_access_entries(clusterName=cluster, maxResults=3)
    second = eks.list_access_entries(clusterName=cluster, maxResults=3, nextToken=first["nextToken"])
    assert first["accessEntries"] + second["accessEntries"] == roles
    assert "nextToken" not in second
