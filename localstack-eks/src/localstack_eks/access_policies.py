"""The EKS access policy catalogue (ListAccessPolicies) and policy-ARN checks.

The names are those real ListAccessPolicies returned at the time of writing, from the EKS
User Guide's access-policy reference and published `aws eks list-access-policies` output.
"""

from .pagination import paginate

POLICY_ARN_PREFIX = "arn:aws:eks::aws:cluster-access-policy/"

# Policies meant for people and pipelines (docs/design/aws-facts.md, EKS access entries).
TEAM_POLICIES = (
    "AmazonEKSClusterAdminPolicy",
    "AmazonEKSAdminPolicy",
    "AmazonEKSEditPolicy",
    "AmazonEKSViewPolicy",
    "AmazonEKSAdminViewPolicy",
    "AmazonEKSSecretReaderPolicy",
)

ACCESS_POLICY_NAMES = tuple(sorted(TEAM_POLICIES + (
    "AIDevOpsAgentAccessPolicy",
    "AmazonAIOpsAssistantPolicy",
    "AmazonARCRegionSwitchScalingPolicy",
    "AmazonEKSACKPolicy",
    "AmazonEKSArgoCDClusterPolicy",
    "AmazonEKSArgoCDPolicy",
    "AmazonEKSAutoNodePolicy",
    "AmazonEKSBlockStorageClusterPolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSClusterInsightsPolicy",
    "AmazonEKSComputeClusterPolicy",
    "AmazonEKSComputePolicy",
    "AmazonEKSEventPolicy",
    "AmazonEKSHybridPolicy",
    "AmazonEKSKROPolicy",
    "AmazonEKSLoadBalancingClusterPolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingClusterPolicy",
    "AmazonEKSNetworkingPolicy",
    "AmazonEKSPodIdentityPolicy",
    "AmazonEKSSecretAdminPolicy",
    "AmazonEMRJobPolicy",
    "AmazonSagemakerHyperpodClusterPolicy",
    "AmazonSagemakerHyperpodControllerPolicy",
    "AmazonSagemakerHyperpodSpacePolicy",
    "AmazonSagemakerHyperpodSpaceTemplatePolicy",
    "AmazonSagemakerHyperpodSystemNamespacePolicy",
    "AmazonSagemakerHyperpodUserClusterPolicy",
)))

CLUSTER_ADMIN_POLICY_ARN = POLICY_ARN_PREFIX + "AmazonEKSClusterAdminPolicy"


def policy_arn(name: str) -> str:
    return POLICY_ARN_PREFIX + name


def is_known_policy_arn(arn: str) -> bool:
    return arn.startswith(POLICY_ARN_PREFIX) and arn[len(POLICY_ARN_PREFIX):] in ACCESS_POLICY_NAMES


def list_access_policies(context, request: dict) -> dict:
    page, next_token = paginate(
        {name: {"name": name, "arn": policy_arn(name)} for name in ACCESS_POLICY_NAMES}, request
    )
    response = {"accessPolicies": page}
    if next_token:
        response["nextToken"] = next_token
    return response
