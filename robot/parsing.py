"""Reading a mail's attachments with the parsers, one failure never stopping the others."""

from __future__ import annotations

import logging

from mailer.incoming import Attachment
from parsers.limits import ParseLimits
from parsers.registry import parse_attachment
from parsers.report import ParsedReport, ParseError
from robot.config import Config

log = logging.getLogger(__name__)


def parse_limits(config: Config) -> ParseLimits:
    return ParseLimits(max_bytes=int(config.limits.max_attachment_mb * 1024 * 1024))


def read_attachments(
    config: Config, attachments: list[Attachment]
) -> tuple[list[ParsedReport], list[tuple[str, str]]]:
    """Reports found in the attachments, and (file name, reason code) for each unreadable file."""
    schema, limits = config.schema(), parse_limits(config)
    reports: list[ParsedReport] = []
    failures: list[tuple[str, str]] = []
    for attachment in attachments:
        try:
            found = parse_attachment(attachment.filename, attachment.data, schema, limits)
        except ParseError as exc:
            failures.append((attachment.filename, exc.reason))
            continue
        except Exception:  # a parser bug must not lose the message
            log.exception("parser crashed on %s", attachment.filename)
            failures.append((attachment.filename, "corrupt"))
            continue
        reports += [report for report in found if report.is_report]
    return reports, failures
