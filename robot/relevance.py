"""Is a mail or a document about this report? The facts ``decide`` needs, from words and figures.

An office mailbox also receives invitations, other plans, other programmes' reports (often with
a few rows in common, "số buổi tuyên truyền"), questions and papers. A mail *names* the report
when its subject, the sender's own text, a file name or a document title holds one of the
programme's keywords. A document *reads as* the report when it is one of the robot's templates,
or enough of the indicators were read from it; a document whose title names something else must
hold most of the indicators before it is taken for this report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from parsers.labels import fold
from parsers.report import ParsedReport
from parsers.schema import FieldSpec

# Share of the indicators a document must hold to be taken for the report.
SHARE_UNTITLED = 0.3  # no title, or a title naming nothing else
SHARE_OTHER_TITLE = 0.6  # a title that does not name the report (another plan or report?)
MIN_FIGURES = 3


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the programme's keywords, folded (no case, no diacritics), whole words."""
    words = sorted({" ".join(fold(k).split()) for k in keywords if k.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def names_report(pattern: re.Pattern[str] | None, texts: Iterable[str | None]) -> bool:
    """Whether any of the texts (subject, own words, file names, titles) holds a keyword."""
    if pattern is None:
        return False
    return any(text and pattern.search(fold(text)) for text in texts)


def figures_held(report: ParsedReport, keys: set[str]) -> int:
    """How many of these indicators the document gives a figure for. Figures found on a scan but
    not read for certain still show what the document is."""
    return (sum(1 for found in report.values.values() if found.value is not None and found.key in keys)
            + sum(1 for key in report.uncertain if key in keys))


def reads_as_report(report: ParsedReport, fields: Sequence[FieldSpec],
                    pattern: re.Pattern[str] | None, mail_names_report: bool, vouched: bool = False) -> bool:
    """Whether a document is this report rather than another document with a few rows alike.
    ``vouched``: a staff member files it as the report; a few of its figures are enough."""
    if report.template_code:
        return True
    read = figures_held(report, {spec.key for spec in fields})
    if vouched:
        return read >= MIN_FIGURES
    titled_otherwise = bool(report.title) and not names_report(pattern, [report.title])
    if mail_names_report and not titled_otherwise:
        return read >= MIN_FIGURES
    share = SHARE_OTHER_TITLE if titled_otherwise else SHARE_UNTITLED
    return read >= max(MIN_FIGURES, math.ceil(share * len(fields)))
