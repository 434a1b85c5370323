"""/_eksrole/calls: per service and operation call counts, and their reset."""

import botocore.exceptions
import pytest


def test_counts_every_aws_call_including_faulted_ones(api, eks, iam, sts):
    api.reset_calls()
    eks.list_clusters()
    eks.list_clusters()
    sts.get_caller_identity()
    api.add_fault(service="iam", operation="GetRole", error={"code": "Throttling"})
    with pytest.raises(botocore.exceptions.ClientError):
        iam.get_role(RoleName="x")
    assert api.calls() == {
        "calls": {"eks": {"ListClusters": 2}, "sts": {"GetCallerIdentity": 1}, "iam": {"GetRole": 1}},
        "total": 4,
    }
    status, body = api.request("DELETE", "/_eksrole/calls")
    assert status == 200 and body == {"calls": {}, "total": 0}


def test_state_reset_forgets_clusters(api, eks, make_cluster):
    name = make_cluster()
    status, _ = api.request("DELETE", "/_eksrole/state")
    assert status == 200
    assert name not in eks.list_clusters()["clusters"]
