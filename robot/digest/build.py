"""The digest as a whole: figures for each period, its files, the mail — written to a folder or queued.

pandas, matplotlib and python-docx are imported inside ``make_digest``: the CLI imports this
module for every command, and only the digest needs them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from mailer.incoming import Attachment
from robot.config import Config
from robot.digest.attention import Attention, needs_attention
from robot.digest.left_for_people import LeftForPeople, left_for_people
from robot.digest.words import STATE_NAMES, fraction, number, on_complete, percent, target_percent
from robot.outbox import enqueue
from robot.templating import html_templates, text_templates
from store.db import session as open_session

if TYPE_CHECKING:
    from robot.digest.figures import PeriodFigures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Digest:
    """One digest: its figures and every file it is made of (name → bytes)."""

    now: dt.datetime
    subject: str
    periods: list[PeriodFigures]
    attention: Attention
    left: LeftForPeople
    charts: dict[str, bytes]  # file name → PNG
    documents: dict[str, tuple[str, bytes]]  # file name → (content type, bytes)
    text: str
    html_mail: str  # images by cid:
    html_file: str  # images by file name, for the folder


def make_digest(config: Config, engine: Engine, now: dt.datetime) -> Digest:
    from robot.digest.chart import chart_png
    from robot.digest.figures import digest_periods, period_figures
    from robot.digest.frames import read_reports
    from robot.digest.summary_report import summary_report_docx
    from robot.digest.workbook import digest_workbook

    periods_due = digest_periods(config, now)
    with open_session(engine) as session:
        frame = read_reports(config, session.connection(), periods_due)
        attention = needs_attention(config, session, now)
        left = left_for_people(config, session, now)
    periods = period_figures(config, frame, periods_due)
    local = now.astimezone(config.tz)
    charts = {_chart_name(f): chart_png(f, config.targets.students_percent) for f in _charted(periods, now)}
    documents = {f"tong-hop-{local:%Y-%m-%d}.xlsx": (XLSX, digest_workbook(config, periods))}
    for figures in periods:
        documents[f"du-thao-bao-cao-{figures.period.id}.docx"] = (DOCX, summary_report_docx(config, figures))
    subject = f"Tổng hợp tình hình báo cáo đến ngày {local:%d/%m/%Y}"
    context = dict(
        subject=subject, now=local.strftime("%H:%M ngày %d/%m/%Y"), moment=now, periods=periods,
        attention=attention, left=left, mailbox=config.mailbox.address, targets=config.targets,
        state_names=STATE_NAMES, percent=percent, number=number, fraction=fraction, on_complete=on_complete,
        target_percent=target_percent, attention_groups=_attention_groups(attention),
    )
    html = html_templates.get_template("digest.html.j2")
    return Digest(
        now=now, subject=subject, periods=periods, attention=attention, left=left, charts=charts,
        documents=documents, text=text_templates.get_template("digest.txt.j2").render(**context),
        html_mail=html.render(**context, images={f.period.id: f"cid:{_cid(f)}" for f in _charted(periods, now)}),
        html_file=html.render(**context, images={f.period.id: _chart_name(f) for f in _charted(periods, now)}),
    )


def write_digest(digest: Digest, folder: Path) -> list[Path]:
    """digest.html, the chart PNGs, the workbook and the Word drafts, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"digest.html": digest.html_file.encode("utf-8"), **digest.charts,
             **{name: data for name, (_, data) in digest.documents.items()}}
    written = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


def queue_digest(config: Config, engine: Engine, digest: Digest) -> None:
    """Put the digest mail for digest.recipients in the outbox."""
    with open_session(engine) as session:
        enqueue(
            session, config, kind="digest", to=list(config.digest.recipients), subject=digest.subject,
            text=digest.text, html=digest.html_mail, now=digest.now, auto_submitted="auto-generated",
            inline_images=[(_cid(f), digest.charts[_chart_name(f)]) for f in _charted(digest.periods, digest.now)],
            attachments=[Attachment(filename=name, content_type=kind, data=data)
                         for name, (kind, data) in digest.documents.items()],
        )
        session.commit()


def _charted(periods: list[PeriodFigures], now: dt.datetime) -> list[PeriodFigures]:
    """The periods the digest is about now, which get a chart: the open one and the last closed one.

    Older periods kept in the digest by ``digest.recent_days`` keep their tables and files; a
    chart costs a tenth of a second of drawing each.
    """
    closed = [f for f in periods if f.period.deadline <= now]
    return closed[-1:] + [f for f in periods if f.period.deadline > now]


def _chart_name(figures: PeriodFigures) -> str:
    return f"bieu-do-{figures.period.id}.png"


def _cid(figures: PeriodFigures) -> str:
    return f"chart-{figures.period.id}@report-robot"


def _attention_groups(attention: Attention) -> list[tuple[str, list]]:
    return [
        ("Thư từ địa chỉ chưa đăng ký", attention.unknown_senders),
        ("Tệp báo cáo không đọc được", attention.unreadable),
        ("Thư xử lý bị lỗi", attention.intake_errors),
        ("Thư gửi đi không thành công", attention.undelivered),
        ("Lỗi kết nối hộp thư", attention.mailbox_errors),
    ]
