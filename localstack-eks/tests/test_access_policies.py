"""ListAccessPolicies: the catalogue and its paging."""

import pytest

TEAM = [
    "AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy",
    "AmazonEKSViewPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSSecretReaderPolicy",
]


def test_list_access_policies_pages_through_the_catalogue(eks):
    seen, token = [], None
    while True:
        page = eks.list_access_policies(maxResults=10, **({"nextToken": token} if token else {}))
        assert len(page["accessPolicies"]) <= 10
        seen += page["accessPolicies"]
        token = page.get("nextToken")
        if not token:
            break
    names = [policy["name"] for policy in seen]
    assert len(names) == len(set(names)) >= 25
    assert set(TEAM) | {"AmazonEKSAutoNodePolicy", "AmazonEMRJobPolicy", "AmazonEKSHybridPolicy"} <= set(names)
    for policy in seen:
        assert policy["arn"] == f"arn:aws:eks::aws:cluster-access-policy/{policy['name']}"
    assert eks.list_access_policies()["accessPolicies"] == seen


def test_max_results_bounds(eks):
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.list_access_policies(maxResults=101)
