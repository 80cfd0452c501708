"""`robot check`: every problem with the config and the mail servers, in plain words."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from mailer.errors import MailerError
from mailer.imap import check_login as imap_login
from mailer.smtp import check_login as smtp_login
from robot.config import Config


# A report's period type, as `robot check` names it.
PERIOD_WORDS = {"weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý",
                "semiannual": "6 tháng", "annual": "hằng năm"}


def programme_lines(config: Config) -> list[str]:
    """One line per programme: id, title, indicators, reports with their period, units reporting it."""
    return [
        f"{view.programme_id} — {view.programme_title}: {len(view.fields)} chỉ tiêu; báo cáo "
        + ", ".join(f"{report.id} ({PERIOD_WORDS[report.period]})" for report in view.reports)
        + f"; {len(view.units)} đơn vị phải nộp"
        for view in config.programme_views
    ]


def settings_problems(config: Config) -> list[str]:
    """Settings that are valid YAML but cannot work: empty hosts, unset password variables."""
    problems = []
    for side in ("imap", "smtp"):
        section = getattr(config.mailbox, side)
        where = f"mailbox.{side}"
        if not section.host:
            problems.append(f"{where}.host: not set (the {side.upper()} server of the mailbox)")
        if section.password_env and not os.environ.get(section.password_env) and not section.password_file:
            problems.append(f"{where}.password_env: environment variable {section.password_env} is not set")
        if section.password_file:
            problems += _password_file_problems(config.path(section.password_file), f"{where}.password_file")
        if section.ca_file and not config.path(section.ca_file).is_file():
            problems.append(f"{where}.ca_file: no such file {section.ca_file}")
    for index, root in enumerate(config.security.signature_trust_roots):
        problems += _trust_root_problems(config.path(root), f"security.signature_trust_roots[{index}]")
    return problems


def _trust_root_problems(path: Path, where: str) -> list[str]:
    """A signature trust root must be a readable file of certificates (PEM, or one DER)."""
    from cryptography import x509  # only `robot check` reads certificates here

    try:
        data = path.read_bytes()
    except OSError as exc:
        return [f"{where}: cannot read {path} ({exc.strerror or exc})"]
    try:
        if b"-----BEGIN" in data:
            certificates = x509.load_pem_x509_certificates(data)
        else:
            certificates = [x509.load_der_x509_certificate(data)]
    except ValueError:
        return [f"{where}: {path} holds no certificate (a PEM file beginning with "
                f"-----BEGIN CERTIFICATE----- is expected)"]
    now = dt.datetime.now(dt.timezone.utc)
    return [f"{where}: {path}: the certificate of {certificate.subject.rfc4514_string()} expired on "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}; fetch the current one"
            for certificate in certificates if certificate.not_valid_after_utc < now]


def _password_file_problems(path: Path, where: str) -> list[str]:
    try:
        mode = path.stat().st_mode
    except OSError:
        return [f"{where}: cannot read {path}"]
    if mode & 0o077:
        return [f"{where}: {path} is readable by other users (chmod 600 {path})"]
    return []


def ocr_status() -> tuple[bool, str]:
    """Whether scans and photos are read (Tesseract with its Vietnamese model), in one line."""
    from parsers.ocr.available import ocr_available, tesseract_version

    if ocr_available():
        return True, (f"OCR: bật — bản quét và ảnh chụp báo cáo được đọc "
                      f"(Tesseract {tesseract_version()}, tiếng Việt)")
    return False, ("OCR: tắt — chưa cài tesseract-ocr và tesseract-ocr-vie; bản quét và ảnh chụp "
                   "được trả lời đề nghị gửi tệp Word/Excel")


def server_checks(config: Config) -> list[tuple[str, bool, str]]:
    """Try the IMAP and SMTP logins: (what, ok, words) for each."""
    results = []
    for name, attempt, settings in (
        ("IMAP", imap_login, config.imap_settings()),
        ("SMTP", smtp_login, config.smtp_settings()),
    ):
        if not settings.host:
            continue
        try:
            results.append((name, True, attempt(settings)))
        except MailerError as exc:
            results.append((name, False, str(exc)))
    return results
