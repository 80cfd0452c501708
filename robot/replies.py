"""The Vietnamese replies to senders, rendered from the Jinja2 templates beside this module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from parsers.report import ParsedReport
from parsers.schema import FieldSpec
from robot.config import Config, Unit
from robot.periods import Period
from robot.templating import text_templates
from robot.validate import Validation
from robot.wording import REPLY_SUBJECTS, file_problem, show_day, show_time, show_value, signature_lines


@dataclass
class Reply:
    """A reply ready to be composed: ``kind`` is the X-Report-Robot header value."""

    kind: str
    subject: str
    text: str
    fields: list[str] = field(default_factory=list)  # X-Report-Robot-Fields
    attach_template: bool = False


def _render(kind: str, **context) -> str:
    return text_templates.get_template(f"{kind.replace('-', '_')}.txt.j2").render(**context)


def _subject(kind: str, original: str, period: Period | None) -> str:
    topic = original.strip() or (period.title if period else "")
    return f"{REPLY_SUBJECTS[kind]}: {topic}" if topic else REPLY_SUBJECTS[kind]


def _figures(fields: tuple[FieldSpec, ...], report: ParsedReport) -> list[dict]:
    return [
        {"code": spec.code, "label": spec.label, "shown": show_value(spec, report.values[spec.key].value)}
        for spec in fields
        if spec.key in report.values and report.values[spec.key].value is not None
    ]


def _signature(config: Config, fields: tuple[FieldSpec, ...], report: ParsedReport) -> list[str]:
    """The lines about a signed PDF's signature, naming each figure changed after signing."""
    signature = report.signature
    if signature is None:
        return []
    specs = {spec.key: spec for spec in fields}
    changed = [
        (f"{specs[key].code} — {specs[key].label}",
         show_value(specs[key], report.values[key].value) if key in report.values else "(không có)", sent)
        for key, sent in signature.changed if key in specs
    ]
    return signature_lines(signature, config.tz, changed)


def _common(config: Config, received_at: dt.datetime) -> dict:
    return {"mailbox": config.mailbox.address, "received": show_time(received_at, config.tz)}


def acknowledgement(config: Config, unit: Unit, period: Period, report: ParsedReport,
                    check: Validation, received_at: dt.datetime, version: int,
                    original_subject: str, remarks: list[str] | None = None) -> Reply:
    text = _render(
        "ack", **_common(config, received_at), unit_name=unit.name, period_title=period.title,
        filename=report.filename, on_time=period.is_on_time(received_at),
        due=show_day(period.due_day), version=version, figures=_figures(check.fields, report),
        remarks=remarks or [], signature=_signature(config, check.fields, report),
        from_scan=report.from_scan,
    )
    return Reply("ack", _subject("ack", original_subject, period), text)


def incomplete_notice(config: Config, unit: Unit, period: Period, report: ParsedReport,
                      check: Validation, received_at: dt.datetime, original_subject: str,
                      remarks: list[str] | None = None) -> Reply:
    specs = {spec.key: spec for spec in check.fields}
    missing = [{"code": specs[k].code, "label": specs[k].label} for k in check.missing]
    problems = [
        {
            "fields": ", ".join(f"{specs[k].code} — {specs[k].label}" for k in problem.keys),
            "reason": problem.reason,
        }
        for problem in check.problems
    ]
    text = _render(
        "incomplete", **_common(config, received_at), unit_name=unit.name,
        period_title=period.title, filename=report.filename, missing=missing, problems=problems,
        figures=_figures(check.fields, report), due=show_day(period.due_day),
        remarks=remarks or [], unsure_on_scan=any(key in report.uncertain for key in check.invalid),
    )
    return Reply("incomplete", _subject("incomplete", original_subject, period), text,
                 fields=check.missing + check.invalid, attach_template=True)


def unreadable_notice(config: Config, unit: Unit, files: list[tuple[str, str]],
                      received_at: dt.datetime, original_subject: str) -> Reply:
    """``files`` holds (file name, ParseError reason code) for each file that failed."""
    rows = []
    for name, reason in files:
        words, advice = file_problem(reason)
        rows.append({"name": name, "reason": words, "advice": advice})
    text = _render("unreadable", **_common(config, received_at), unit_name=unit.name, files=rows)
    return Reply("unreadable", _subject("unreadable", original_subject, None), text,
                 attach_template=True)


def no_attachment_notice(config: Config, unit: Unit, received_at: dt.datetime,
                         original_subject: str) -> Reply:
    text = _render("no-attachment", **_common(config, received_at), unit_name=unit.name)
    return Reply("no-attachment", _subject("no-attachment", original_subject, None), text,
                 attach_template=True)


def unknown_sender_notice(config: Config, sender: str, received_at: dt.datetime,
                          original_subject: str) -> Reply:
    text = _render("unknown-sender", **_common(config, received_at), sender=sender)
    return Reply("unknown-sender", _subject("unknown-sender", original_subject, None), text)
