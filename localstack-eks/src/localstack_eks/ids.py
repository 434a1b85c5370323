"""Identifiers and ARNs in the shapes real EKS uses (cluster, access entry, association, add-on)."""

import base64
import datetime
import secrets
import string
import uuid

_LOWER_ALNUM = string.ascii_lowercase + string.digits


def cluster_arn(region: str, account: str, name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:eks:{region}:{account}:cluster/{name}"


def access_entry_arn(
    region: str, account: str, cluster: str, kind: str, principal_account: str, name: str
) -> str:
    return (
        f"arn:aws:eks:{region}:{account}:access-entry/{cluster}/{kind}/"
        f"{principal_account}/{name}/{uuid.uuid4()}"
    )


def association_id() -> str:
    """`a-` plus 17 lower-case letters and digits, like `a-kyevsbqhrnchy79jw`."""
    return "a-" + "".join(secrets.choice(_LOWER_ALNUM) for _ in range(17))


def association_arn(region: str, account: str, cluster: str, assoc_id: str) -> str:
    return f"arn:aws:eks:{region}:{account}:podidentityassociation/{cluster}/{assoc_id}"


def addon_arn(region: str, account: str, cluster: str, addon: str) -> str:
    return f"arn:aws:eks:{region}:{account}:addon/{cluster}/{addon}/{uuid.uuid4()}"


def oidc_id() -> str:
    """32 upper-case hex digits, shared by the API endpoint host and the OIDC issuer."""
    return secrets.token_hex(16).upper()


def hex_suffix(prefix: str) -> str:
    """EC2-style ids such as `vpc-0a1b2c3d4e5f67890`."""
    return f"{prefix}-{secrets.token_hex(9)[:17]}"


def certificate_authority_data(cluster_name: str) -> str:
    """Base64 of a PEM self-signed CA certificate, as DescribeCluster returns it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.PEM)).decode()


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)
