"""Digital signatures of PDF reports (chữ ký số), validated with pyHanko.

A signed PDF tells who signed it (the certificate's CN, O and email), when, whether the signed
bytes are intact, whether the signer's certificate chains to a root the department trusts, and
whether the file was changed after signing: an incremental update past the signature's byte
range that does more than add signatures or long-term validation data. The latest signature is
the one read, since it vouches for the most of the file (a leader's signature followed by the
office's, as Vietnamese offices sign).

pyHanko takes about a second to import, so the PDF reader imports this module only for a file
holding a signature. Nothing is fetched (parsers touch no network): no revocation list, no OCSP,
no missing intermediate certificate; "trusted" means a valid chain to a configured root now.
"""

from __future__ import annotations

import functools
import io
import logging

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import EmbeddedPdfSignature, PdfSignatureStatus, validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from parsers.report import Signature

log = logging.getLogger(__name__)
# pyHanko logs an untrusted chain at WARNING with a traceback; the outcome is in the Signature.
logging.getLogger("pyhanko").setLevel(logging.ERROR)

# Vietnamese signing certificates carry digitalSignature, nonRepudiation or both.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
# Later updates that leave what was signed as it was: document timestamps and validation data.
_UNCHANGED = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


def validate(data: bytes, trust_roots: tuple[bytes, ...]) -> tuple[Signature, int] | None:
    """The latest signature of a PDF and the length of the revision it signed, or None when the
    file holds no signature pyHanko can find."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception as exc:  # pyHanko and asn1crypto raise many types on a damaged file
        log.info("no readable signature: %s: %s", type(exc).__name__, exc)
        return None
    if not signatures:
        return None
    embedded = signatures[-1]  # in signing order
    offset, length = int(embedded.byte_range[2]), int(embedded.byte_range[3])
    signed_end = min(offset + length, len(data))
    context = ValidationContext(trust_roots=_anchors(trust_roots), allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context, key_usage_settings=_KEY_USAGE)
    except Exception as exc:  # a signature too damaged to evaluate is not intact
        log.info("signature cannot be validated: %s: %s", type(exc).__name__, exc)
        return _damaged(embedded), signed_end
    return _signature(status), signed_end


def _signature(status: PdfSignatureStatus) -> Signature:
    cn, org, email = _subject(status.signing_cert)
    stamp = status.timestamp_validity
    signed_at = stamp.timestamp if stamp is not None and stamp.trusted else status.signer_reported_dt
    modified = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and status.modification_level not in _UNCHANGED
    return Signature(
        signer_cn=cn, signer_org=org, signer_email=email, signed_at=signed_at,
        intact=bool(status.intact and status.valid), trusted=bool(status.trusted),
        modified_after_signing=bool(modified),
    )


def _damaged(embedded: EmbeddedPdfSignature) -> Signature:
    """A signature that could not be evaluated: its signer if the certificate can be read."""
    try:
        cn, org, email = _subject(embedded.signer_cert)
    except Exception:  # the certificate itself is unreadable
        cn = org = email = None
    return Signature(signer_cn=cn, signer_org=org, signer_email=email, signed_at=None,
                     intact=False, trusted=False, modified_after_signing=False)


def _subject(certificate: asn1_x509.Certificate) -> tuple[str | None, str | None, str | None]:
    """CN, O and email of a certificate; the email from the subject or the alternative names."""
    subject = certificate.subject.native
    email = _text(subject.get("email_address"))
    if email is None and certificate.subject_alt_name_value is not None:
        email = next((name.native for name in certificate.subject_alt_name_value
                      if name.name == "rfc822_name"), None)
    return _text(subject.get("common_name")), _text(subject.get("organization_name")), email


def _text(value: object) -> str | None:
    """An attribute's value; a repeated attribute (two O values) joined."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(item) for item in value)
    return " ".join(str(value).split()) or None


@functools.lru_cache(maxsize=8)
def _anchors(trust_roots: tuple[bytes, ...]) -> tuple[asn1_x509.Certificate, ...]:
    """The certificates of the configured files (PEM, several per file, or DER); every one
    is an anchor, so a configured intermediate CA is trusted as the admin asked."""
    anchors = []
    for data in trust_roots:
        try:
            if pem.detect(data):
                anchors += [_certificate(der) for kind, _, der in pem.unarmor(data, multiple=True)
                            if kind == "CERTIFICATE"]
            else:
                anchors.append(_certificate(data))
        except (ValueError, TypeError) as exc:
            log.warning("a signature trust root is not a certificate: %s", exc)
    return tuple(anchors)


def _certificate(der: bytes) -> asn1_x509.Certificate:
    certificate = asn1_x509.Certificate.load(der)
    certificate.native  # asn1crypto parses lazily: a broken certificate fails here, not mid-validation
    return certificate
