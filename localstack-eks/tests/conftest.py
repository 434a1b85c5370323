"""Session fixtures: one LocalStack with the extension (via scripts/testbed) for the whole run,
boto3 clients pointed at it, and helpers for IAM principals and the fault API."""

import json
import os
import socket
import subprocess
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTBED = REPO_ROOT / "scripts" / "testbed"
REGION = "us-east-1"
ACCOUNT = "000000000000"
TRUST_PODS = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }],
})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_testbed(port: int, owner_pid: int | None = None) -> str:
    args = [str(TESTBED), "start", "--port", str(port)]
    if owner_pid is not None:
        args += ["--owner-pid", str(owner_pid)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"testbed start failed:\n{result.stderr}"
    return result.stdout.strip().splitlines()[-1]


def stop_testbed(port: int) -> None:
    subprocess.run([str(TESTBED), "stop", "--port", str(port)], capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def testbed_port():
    port = int(os.environ.get("EKSROLE_TESTBED_PORT") or free_port())
    start_testbed(port, owner_pid=os.getpid())
    yield port
    stop_testbed(port)


@pytest.fixture(scope="session")
def endpoint(testbed_port) -> str:
    return f"http://127.0.0.1:{testbed_port}"


def _client(service: str, endpoint: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        # One attempt: the tests see each injected fault instead of the SDK's retries.
        # No client-side checks either: the emulator's own validation is under test.
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, parameter_validation=False),
    )


@pytest.fixture(scope="session")
def eks(endpoint):
    return _client("eks", endpoint)


@pytest.fixture(scope="session")
def iam(endpoint):
    return _client("iam", endpoint)


@pytest.fixture(scope="session")
def sts(endpoint):
    return _client("sts", endpoint)


class TestbedApi:
    """The /_eksrole/* endpoints."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint

    def request(self, method: str, path: str, body=None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.endpoint + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def add_fault(self, **spec) -> dict:
        status, body = self.request("POST", "/_eksrole/faults", spec)
        assert status == 201, body
        return body["added"][0]

    def faults(self) -> dict:
        return self.request("GET", "/_eksrole/faults")[1]

    def clear_faults(self) -> None:
        self.request("DELETE", "/_eksrole/faults")

    def calls(self) -> dict:
        return self.request("GET", "/_eksrole/calls")[1]

    def reset_calls(self) -> None:
        self.request("DELETE", "/_eksrole/calls")


@pytest.fixture(scope="session")
def api(endpoint) -> TestbedApi:
    return TestbedApi(endpoint)


@pytest.fixture(autouse=True)
def _no_faults_between_tests(api):
    api.clear_faults()
    yield
    api.clear_faults()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def role(iam):
    """A fresh IAM role (path /) and its ARN."""
    name = unique("role")
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_PODS)["Role"]["Arn"]


@pytest.fixture
def make_role(iam):
    def make(path: str = "/") -> str:
        return iam.create_role(
            RoleName=unique("role"), Path=path, AssumeRolePolicyDocument=TRUST_PODS
        )["Role"]["Arn"]

    return make


@pytest.fixture
def make_cluster(eks):
    """Create a cluster (default: API_AND_CONFIG_MAP, no bootstrap entry) and return its name."""
    created = []

    def make(mode: str | None = "API_AND_CONFIG_MAP", bootstrap: bool | None = False, **extra) -> str:
        name = unique("cluster")
        access = {}
        if mode is not None:
            access["authenticationMode"] = mode
        if bootstrap is not None:
            access["bootstrapClusterCreatorAdminPermissions"] = bootstrap
        kwargs = dict(
            name=name,
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks-cluster",
            resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]},
            **extra,
        )
        if access:
            kwargs["accessConfig"] = access
        eks.create_cluster(**kwargs)
        created.append(name)
        return name

    yield make
    for name in created:
        try:
            eks.delete_cluster(name=name)
        except eks.exceptions.ResourceNotFoundException:
            pass


def error_of(excinfo) -> tuple[str, str, int]:
    """(code, message, HTTP status) of a botocore ClientError."""
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )
