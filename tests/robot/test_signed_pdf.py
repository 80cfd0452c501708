"""Digitally signed PDF reports through `robot poll` on Dovecot: the acknowledgement names the
signer and says whether the signature holds; `status --json` carries the signature; a PDF changed
after signing is filed with its signed figures and the change is told; a signed PDF beside the
same report unsigned (its Word file, a scan) is the one filed. And `robot check` names trust
roots it cannot use."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from parsers.office_convert import converter
from robot.checks import settings_problems
from robot.wording import show_time
from tests.parsers.signed_pdfs import documents, pki, signing
from tests.robotenv import DOCX_TYPE, RobotEnv, local, mail, parsed, text_of, write_config

pytestmark = pytest.mark.skipif(converter() is None, reason="LibreOffice is not installed")

NOW = "2026-05-20T10:00:00+07:00"
RECEIVED = local(2026, 5, 20, 9, 0)
PERIOD = "semiannual-2026"
UNIT = "THPT-LEQUYDON"
SIGNED_NAME = "BC 6 thang PCMD - THPT Le Quy Don (da ky so).pdf"
ROOT_FILE = "certs/root-ca-thu-nghiem.pem"
FIGURE_05 = "05 — Số học sinh, sinh viên được tuyên truyền"


def robot_with_roots(folder: Path, mailbox, smtp_server, roots: list[str]) -> RobotEnv:
    """A robot whose security.signature_trust_roots lists ``roots``; the test root written to ROOT_FILE."""
    env = write_config(folder, mailbox, smtp_server,
                       security={"trusted_authserv_ids": [], "signature_trust_roots": roots})
    (folder / ROOT_FILE).parent.mkdir(parents=True, exist_ok=True)
    (folder / ROOT_FILE).write_bytes(pki.chain().root_pem)
    return env


def school_mail(sender: str, files: list[tuple[str, bytes]]) -> bytes:
    """A school's mail as Outlook sends it: a short covering note, each file under its real type."""
    message = parsed(mail(sender, "V/v gửi báo cáo công tác phòng, chống mại dâm 6 tháng đầu năm 2026", [],
                          body="Kính gửi Phòng Giáo dục Trung học,\nTrường THPT Lê Quý Đôn gửi báo cáo "
                               "(bản PDF đã ký số) đính kèm.\nTrân trọng."))
    types = {".pdf": "application/pdf", ".docx": DOCX_TYPE}
    for name, data in files:
        maintype, subtype = types[Path(name).suffix].split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def poll_and_read(env: RobotEnv, mailbox, smtp_server, files: list[tuple[str, bytes]]) -> tuple[str, dict]:
    """Deliver the school's mail, poll, and return the reply's text and the unit's status row."""
    unit = env.config.unit_by_code(UNIT)
    mailbox.append(school_mail(unit.emails[0], files), internaldate=RECEIVED)
    assert env.cli("poll", "--now", NOW).exit_code == 0
    (reply,) = smtp_server.wait_for(1)
    assert reply.rcpt_tos == [unit.emails[0]]
    assert reply.parsed["X-Report-Robot"] == "ack", text_of(reply.parsed)
    rows = json.loads(env.cli("status", "--period", PERIOD, "--now", NOW, "--json").stdout)
    return " ".join(text_of(reply.parsed).split()), next(row for row in rows if row["unit_code"] == UNIT)


def signed_report() -> bytes:
    return signing.sign(documents.printed_pdfs()["template-thpt.docx"])


@pytest.mark.parametrize("configured", [True, False], ids=["root-configured", "no-roots"])
def test_a_signed_pdf_is_acknowledged_naming_its_signer(tmp_path, mailbox, smtp_server, configured):
    """GIVEN a school's report printed to PDF and signed by its principal WHEN polled THEN the
    acknowledgement names the signer (CN, O) and the signing time and says the signature is
    intact, verified only when the department configured the root; `status --json` carries the
    signature, and the figures are filed complete."""
    env = robot_with_roots(tmp_path / "robot", mailbox, smtp_server, [ROOT_FILE] if configured else [])

    text, row = poll_and_read(env, mailbox, smtp_server, [(SIGNED_NAME, signed_report())])

    signature = row["signature"]
    assert set(signature) == {"signer_cn", "signer_org", "signed_at", "intact", "trusted", "modified_after_signing"}
    assert (signature["signer_cn"], signature["signer_org"]) == (pki.SIGNER_CN, pki.SIGNER_ORG)
    assert (signature["intact"], signature["trusted"], signature["modified_after_signing"]) == (True, configured, False)
    signed_at = dt.datetime.fromisoformat(signature["signed_at"])
    assert (f"Văn bản có chữ ký số của: {pki.SIGNER_CN}, {pki.SIGNER_ORG}, ký lúc "
            f"{show_time(signed_at, env.config.tz)}; chữ ký còn nguyên vẹn.") in text
    verified = "Chứng thư số của người ký được xác minh theo chứng thư gốc mà Sở tin cậy."
    unverified = "Hệ thống chưa xác minh được chứng thư số của người ký"
    assert (verified in text, unverified in text) == (configured, not configured)
    assert row["state"] == "complete"
    assert row["values"]["so_hssv_duoc_tt"] == 1250
    # The digest workbook shows it against the unit.
    assert env.cli("digest", "--now", NOW, "--dry-run", "--out", str(tmp_path / "digest")).exit_code == 0
    (book,) = (tmp_path / "digest").glob("tong-hop-*.xlsx")
    sheet = openpyxl.load_workbook(book)[PERIOD]
    headers = [cell.value for cell in sheet[1]]
    cells = {r[0]: r[headers.index("Chữ ký số")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells[UNIT] == (f"Có — {pki.SIGNER_CN}" if configured else "Có — chưa xác minh")
    assert {value for code, value in cells.items() if code != UNIT} == {"Không ký số"}


def test_a_pdf_changed_after_signing_is_filed_with_its_signed_figures(tmp_path, mailbox, smtp_server):
    """GIVEN the signed PDF whose figure 05 was changed from 1250 to 1350 in a PDF editor after
    signing WHEN polled THEN 1250 is filed and acknowledged, the reply says the file was changed
    after signing, that the signed figures were taken, and what the file now shows; the status
    row's signature says modified_after_signing."""
    env = robot_with_roots(tmp_path / "robot", mailbox, smtp_server, [ROOT_FILE])
    changed = signing.repaint(signed_report(), "1250", "1350")

    text, row = poll_and_read(env, mailbox, smtp_server, [(SIGNED_NAME, changed)])

    assert "chữ ký còn nguyên vẹn, nhưng tệp đã bị thay đổi sau khi ký." in text
    assert "Hệ thống lấy số liệu của bản đã ký; phần thay đổi sau khi ký không được tính." in text
    assert f"- {FIGURE_05}: tệp gửi ghi “1350”, bản đã ký ghi 1.250" in text
    assert f"{FIGURE_05}: 1.250" in text  # the figures as read
    assert row["values"]["so_hssv_duoc_tt"] == 1250
    assert row["signature"]["modified_after_signing"] is True
    assert row["signature"]["intact"] is True


def test_the_signed_pdf_is_filed_over_the_same_report_unsigned(tmp_path, mailbox, smtp_server):
    """GIVEN one mail with the Word file of the report, a scan of the signed paper and the signed
    PDF, in that order WHEN polled THEN the signed PDF is the one filed (the reply says why) and
    the status row carries the signature."""
    env = robot_with_roots(tmp_path / "robot", mailbox, smtp_server, [ROOT_FILE])
    scan = (Path(__file__).resolve().parent.parent / "corpus" / "files" / "42-signed-scan.pdf").read_bytes()
    files = [("BC 6 thang PCMD - THPT Le Quy Don.docx", documents.word_files()["template-thpt.docx"]),
             ("Scan BC 6 thang co dau.pdf", scan), (SIGNED_NAME, signed_report())]

    text, row = poll_and_read(env, mailbox, smtp_server, files)

    assert f"tệp “{SIGNED_NAME}”" in text
    assert f"hệ thống ghi nhận tệp “{SIGNED_NAME}” (bản có chữ ký số)" in text
    assert row["signature"]["signer_cn"] == pki.SIGNER_CN
    assert row["state"] == "complete"


def test_an_unsigned_report_has_a_null_signature_and_missing_units_none(robot_env, mailbox, smtp_server):
    """GIVEN a Word report WHEN polled THEN its row says "signature": null; a unit that sent
    nothing has no signature key at all."""
    text, row = poll_and_read(robot_env, mailbox, smtp_server,
                              [("BC 6 thang.docx", documents.word_files()["template-thpt.docx"])])
    assert "chữ ký số" not in text
    assert "signature" in row and row["signature"] is None
    rows = json.loads(robot_env.cli("status", "--period", PERIOD, "--now", NOW, "--json").stdout)
    assert all("signature" not in r for r in rows if r["state"] == "missing")


def _expired_root() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root CA cũ đã hết hạn")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(1).not_valid_before(now - dt.timedelta(days=3650))
                   .not_valid_after(now - dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    return certificate.public_bytes(serialization.Encoding.PEM)


def test_robot_check_names_trust_roots_it_cannot_use(tmp_path, mailbox, smtp_server):
    """GIVEN trust roots that are missing, not certificates, expired, and one good WHEN checked
    THEN one problem for each unusable file, naming its key, none for the good one."""
    folder = tmp_path / "robot"
    env = robot_with_roots(folder, mailbox, smtp_server,
                           [ROOT_FILE, "certs/missing.pem", "certs/notes.txt", "certs/expired.pem"])
    (folder / "certs" / "notes.txt").write_text("Tải chứng thư gốc tại rootca.gov.vn", encoding="utf-8")
    (folder / "certs" / "expired.pem").write_bytes(_expired_root())

    problems = [p for p in settings_problems(env.config) if p.startswith("security.")]

    assert len(problems) == 3
    assert problems[0].startswith("security.signature_trust_roots[1]: cannot read")
    assert problems[1].startswith("security.signature_trust_roots[2]:") and "holds no certificate" in problems[1]
    assert problems[2].startswith("security.signature_trust_roots[3]:") and "expired on" in problems[2]
