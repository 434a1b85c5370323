"""EKS error types and the messages real EKS uses, raised by the operation handlers.

Each class carries the wire code and HTTP status from botocore's EKS model; LocalStack's
rest-json serializer turns a raised instance into the error body the AWS SDKs parse.
"""

from localstack.aws.api import CommonServiceException, ServiceException


class EksError(ServiceException):
    sender_fault = True


class InvalidParameterException(EksError):
    code = "InvalidParameterException"
    status_code = 400


class InvalidRequestException(EksError):
    code = "InvalidRequestException"
    status_code = 400


class ResourceInUseException(EksError):
    code = "ResourceInUseException"
    status_code = 409


class ResourceNotFoundException(EksError):
    code = "ResourceNotFoundException"
    status_code = 404


class ResourceLimitExceededException(EksError):
    code = "ResourceLimitExceededException"
    status_code = 400


class BadRequestException(EksError):
    code = "BadRequestException"
    status_code = 400


class NotFoundException(EksError):
    code = "NotFoundException"
    status_code = 404


# Messages real EKS returns (docs/design/aws-facts.md, API behaviour); kept in one place so
# the conformance tests and the provider's retry rules can rely on the exact text.
INVALID_PRINCIPAL = "The specified principalArn is invalid: invalid principal."
ACCESS_ENTRY_IN_USE = "The specified access entry resource is already in use on this cluster."
ACCESS_ENTRY_NOT_FOUND = (
    "The specified principalArn could not be found. "
    "You can view your available access entries with 'list-access-entries'."
)
AUTH_MODE_FORBIDS_ACCESS_ENTRIES = (
    "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] "
    "to perform this operation."
)
STANDARD_ONLY = 'This operation can only be performed on Access Entries with a type of "STANDARD".'
SERVICE_LINKED_ROLE = (
    "The caller is not allowed to modify access entries with a principalArn value of a "
    "Service Linked Role"
)
ASSOCIATION_EXISTS = "Association already exists"
ROLE_DOES_NOT_EXIST = "Role provided in the request does not exist"


def cluster_not_found(name: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"No cluster found for name: {name}.")


def common_error(code: str, message: str, status: int) -> CommonServiceException:
    """An error with any code, for fault injection (any service, any protocol)."""
    return CommonServiceException(code, message, status_code=status, sender_fault=status < 500)
