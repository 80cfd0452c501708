"""A throw-away certification chain made fresh each test session, shaped like Vietnam's.

A root (standing for the national or the government root), a signing CA under it (standing for
a provider such as the government's specialised CA) and a school principal's certificate with
the subject fields Vietnamese signing certificates carry: CN = the person, OU = the school, O =
the department, L = the province, C = VN, and the email. A second root that never issued
anything stands for a root the department did not configure. The keys live in memory only.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

SIGNER_CN = "Nguyễn Thị Thu Hà"
SIGNER_OU = "Trường THPT Lê Quý Đôn"
SIGNER_ORG = "Sở Giáo dục và Đào tạo tỉnh Long An"
SIGNER_EMAIL = "hieutruong.thptlequydon@longan.edu.vn"

_ATTRIBUTES = {"C": NameOID.COUNTRY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME, "L": NameOID.LOCALITY_NAME,
               "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
               "CN": NameOID.COMMON_NAME, "E": NameOID.EMAIL_ADDRESS}


@dataclass(frozen=True)
class Chain:
    """The session's certificates (PEM), and a pyHanko signer holding the principal's key."""

    root_pem: bytes
    other_root_pem: bytes
    signer: signers.SimpleSigner


def _name(**attributes: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(_ATTRIBUTES[key], value) for key, value in attributes.items()])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def _certificate(subject: x509.Name, key: rsa.RSAPrivateKey, issuer: x509.Name,
                 issuer_key: rsa.RSAPrivateKey, *, ca: bool, years: int) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=30)).not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


@functools.cache
def chain() -> Chain:
    """The session's chain (four RSA keys: about a second, once)."""
    root_key, ca_key, signer_key, other_key = _key(), _key(), _key(), _key()
    root_name = _name(C="VN", O="Cơ quan chứng thực thử nghiệm", CN="Root CA thử nghiệm (chỉ dùng để kiểm thử)")
    root = _certificate(root_name, root_key, root_name, root_key, ca=True, years=20)
    ca_name = _name(C="VN", O="Cơ quan chứng thực thử nghiệm", CN="CA ký số thử nghiệm cho cơ quan nhà nước")
    ca = _certificate(ca_name, ca_key, root_name, root_key, ca=True, years=10)
    signer_name = _name(C="VN", ST="Long An", L="Tân An", O=SIGNER_ORG, OU=SIGNER_OU, CN=SIGNER_CN, E=SIGNER_EMAIL)
    signer = _certificate(signer_name, signer_key, ca_name, ca_key, ca=False, years=3)
    other_name = _name(C="VN", O="Một tổ chức chứng thực khác", CN="Root CA không được cấu hình")
    other = _certificate(other_name, other_key, other_name, other_key, ca=True, years=20)
    private = asn1_keys.PrivateKeyInfo.load(signer_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    # The signing tool embeds the signer's CA, as Vietnamese token software does; never the root.
    pyhanko_signer = signers.SimpleSigner(
        signing_cert=_asn1(signer), signing_key=private,
        cert_registry=SimpleCertificateStore.from_certs([_asn1(ca)]), embed_roots=False,
    )
    return Chain(root_pem=_pem(root), other_root_pem=_pem(other), signer=pyhanko_signer)
