"""Zip archives of attachments: each member read by the registry, within the archive's limits."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from parsers.limits import ParseLimits, open_zip
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema

MemberParser = Callable[[str, bytes, Schema, ParseLimits], list[ParsedReport]]

# Files that archivers add beside what the sender chose.
_CLUTTER = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


def read_archive(
    data: bytes, schema: Schema, limits: ParseLimits, *, filename: str, parse_member: MemberParser
) -> list[ParsedReport]:
    """Reports of every member; a member that fails is a warning unless none is a report."""
    with open_zip(data, limits) as archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _is_clutter(m.filename)]
        if len(members) > limits.max_members:
            raise ParseError("limits", f"{len(members)} files in the archive, more than {limits.max_members}")
        reports: list[ParsedReport] = []
        failures: list[tuple[str, ParseError]] = []
        for member in members:
            name = f"{filename}/{_member_name(member)}"
            try:
                if member.flag_bits & 0x1:
                    raise ParseError("encrypted", f"{name} is in a password-protected archive")
                reports += parse_member(name, archive.read(member), schema, limits)
            except ParseError as exc:
                failures.append((name, exc))
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                failures.append((name, ParseError("corrupt", str(exc))))
    found = [report for report in reports if report.is_report]
    if not found:
        if not failures:
            return reports
        # A signed scan beside an unreadable report: the report's reason is the one that helps.
        telling = [exc for _, exc in failures if exc.reason != "scanned"] or [exc for _, exc in failures]
        raise ParseError(telling[0].reason, telling[0].detail)
    for name, exc in failures:
        found[0].warnings.append(f"{name}: không đọc được ({exc.reason})")
    return found


def _is_clutter(name: str) -> bool:
    return name.startswith(_CLUTTER) or PurePosixPath(name).name.startswith(("._", "~$")) or \
        PurePosixPath(name).name in _CLUTTER


def _member_name(member: zipfile.ZipInfo) -> str:
    """The member's name as the sender saw it: Windows archivers write UTF-8 without the flag."""
    name = member.filename
    if not member.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return PurePosixPath(name).name
