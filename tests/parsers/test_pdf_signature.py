"""Digitally signed PDF reports (chữ ký số): the signer, the signing time, whether the signature is
intact and trusted against the configured roots, and a change made after signing — the figures
of the signed revision are read and the change is noted."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from dataclasses import dataclass

import pypdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from parsers.limits import ParseLimits
from parsers.office_convert import converter
from parsers.registry import parse_attachment
from parsers.report import ParsedReport
from tests.parsers.signed_pdfs import documents, pki, signing
from tests.robotenv import REPO

pytestmark = pytest.mark.skipif(converter() is None, reason="LibreOffice is not installed")


@dataclass(frozen=True)
class Signed:
    """A report signed during the session, and the moments just before and after signing."""

    printed: bytes
    data: bytes
    before: dt.datetime
    after: dt.datetime


@pytest.fixture(scope="module")
def signed() -> Signed:
    """GIVEN the robot's template, filled in, printed to PDF by LibreOffice and signed by the principal."""
    printed = documents.printed_pdfs()["template-thpt.docx"]
    before = dt.datetime.now(dt.timezone.utc)
    data = signing.sign(printed)
    return Signed(printed, data, before, dt.datetime.now(dt.timezone.utc))


def read(data: bytes, roots: tuple[bytes, ...] = ()) -> ParsedReport:
    [report] = parse_attachment("BC-PCMD-THPT-LQD-ky-so.pdf", data, documents.schema(), ParseLimits(trust_roots=roots))
    return report


def figures(report: ParsedReport) -> dict[str, object]:
    return {key: found.value for key, found in report.values.items()}


def test_a_signed_report_names_its_signer_and_its_signing_time(signed):
    """WHEN read with the department's root configured THEN the signer's CN, O and email as the
    certificate writes them in Vietnamese, the signing time, intact, trusted, unchanged since
    signing; and the figures are those of the unsigned print."""
    report = read(signed.data, (pki.chain().root_pem,))

    signature = report.signature
    assert (signature.signer_cn, signature.signer_org, signature.signer_email) == (
        pki.SIGNER_CN, pki.SIGNER_ORG, pki.SIGNER_EMAIL)
    assert signature.signed_at.tzinfo is not None
    # The signing tool writes whole seconds.
    assert signed.before - dt.timedelta(seconds=1) <= signature.signed_at <= signed.after
    assert (signature.intact, signature.trusted, signature.modified_after_signing) == (True, True, False)
    assert signature.changed == ()
    assert figures(report) == figures(read(signed.printed)) == documents.FIGURES


def _der(pem: bytes) -> bytes:
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(("roots", "trusted"), [
    (lambda chain: (), False),
    (lambda chain: (chain.other_root_pem,), False),
    (lambda chain: (chain.root_pem,), True),
    (lambda chain: (chain.other_root_pem + chain.root_pem,), True),  # one file holding a chain of roots
    (lambda chain: (_der(chain.root_pem),), True),  # a .cer downloaded as it is
    (lambda chain: (b"not a certificate", chain.root_pem), True),
], ids=["no-roots", "another-root", "its-root", "bundle", "der", "a-bad-file-beside"])
def test_a_signature_is_trusted_only_through_a_configured_root(signed, roots, trusted):
    """GIVEN the same signed file WHEN the configured roots differ THEN it is intact every time
    and trusted only when the root its signer's CA was issued by is among them."""
    signature = read(signed.data, roots(pki.chain())).signature
    assert signature.intact is True
    assert signature.trusted is trusted


def test_a_figure_changed_after_signing_is_read_as_signed(signed):
    """GIVEN the signed PDF with figure 05 repainted from 1250 to 1350 by a PDF editor after
    signing (an incremental update behind the signature) WHEN read THEN 05 is the signed 1250,
    the signature says the file was changed after signing and names what the file now shows."""
    changed = signing.repaint(signed.data, "1250", "1350")
    shown = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(changed)).pages)
    assert "1350" in shown and "1250" not in shown  # the change is what a reader of the file sees

    report = read(changed, (pki.chain().root_pem,))

    assert figures(report) == documents.FIGURES
    signature = report.signature
    assert (signature.intact, signature.trusted, signature.modified_after_signing) == (True, True, True)
    assert signature.changed == (("so_hssv_duoc_tt", "1350"),)


def test_a_signature_added_after_the_change_vouches_for_the_whole_file(signed):
    """GIVEN the changed file signed again (the office's signature after the leader's, over the
    whole file) WHEN read THEN the latest signature is the one reported: nothing was changed
    after it, and the figures are those it signed."""
    countersigned = signing.sign(signing.repaint(signed.data, "1250", "1350"), field="ChuKySo_VanThu",
                                 reason="Văn thư ký số phát hành")

    report = read(countersigned, (pki.chain().root_pem,))

    assert report.signature.modified_after_signing is False
    assert report.signature.intact is True
    assert report.values["so_hssv_duoc_tt"].value == 1350


def test_bytes_changed_inside_the_signed_part_break_the_signature(signed):
    """GIVEN signed bytes altered in place (the producer's name, same length, file still readable)
    WHEN read THEN the signature is neither intact nor trusted, and the figures are still read."""
    assert signed.data.count(b"LibreOffice") >= 1
    altered = signed.data.replace(b"LibreOffice", b"LibreOfficf", 1)

    report = read(altered, (pki.chain().root_pem,))

    assert (report.signature.intact, report.signature.trusted) == (False, False)
    assert report.signature.signer_cn == pki.SIGNER_CN
    assert figures(report) == documents.FIGURES


def test_an_unsigned_pdf_has_no_signature_and_never_loads_pyhanko(tmp_path):
    """GIVEN the same report printed to PDF, unsigned WHEN read in a fresh interpreter THEN no
    signature, and pyHanko (about a second to import) was not imported."""
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(documents.printed_pdfs()["template-thpt.docx"])
    script = (
        "import sys, pathlib\n"
        "from parsers.registry import parse_attachment\n"
        "from tests.parsers.signed_pdfs.documents import schema\n"
        f"[report] = parse_attachment('bao-cao.pdf', pathlib.Path({str(path)!r}).read_bytes(), schema())\n"
        "print(report.signature, len(report.values), 'pyhanko' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["None", str(len(documents.FIGURES)), "False"]
