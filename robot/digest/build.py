"""The digest as a whole: figures for each programme and period, its files, the mail — written to a
folder or queued. With several programmes each has its section, and its charts and files carry its id.

pandas, matplotlib and python-docx are imported inside ``make_digest``: the CLI imports this
module for every command, and only the digest needs them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from mailer.incoming import Attachment
from robot.config import Config
from robot.digest.attention import Attention, needs_attention
from robot.digest.left_for_people import LeftForPeople, left_for_people
from robot.digest.staff_work import StaffWork, staff_work
from robot.digest.words import STATE_NAMES, fraction, number, on_complete, percent, target_percent
from robot.outbox import enqueue
from robot.periods import Period
from robot.templating import html_templates, text_templates
from store.db import session as open_session

if TYPE_CHECKING:
    from robot.digest.figures import PeriodFigures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Section:
    """What the digest says about one programme: its config view and its periods' figures."""

    view: Config
    periods: list[PeriodFigures]
    named: bool  # several programmes are configured: the section, its charts and files name it

    @property
    def title(self) -> str:
        """The heading of the section ("" when the config has a single programme)."""
        return self.view.programme_title if self.named else ""

    def file_name(self, stem: str, rest: str) -> str:
        """A file or Content-ID name of this programme: "stem-rest", "stem-programme-rest" if named."""
        return f"{stem}-{self.view.programme_id}-{rest}" if self.named else f"{stem}-{rest}"


@dataclass
class Digest:
    """One digest: its figures and every file it is made of (name → bytes)."""

    now: dt.datetime
    subject: str
    sections: list[Section]
    attention: Attention
    left: LeftForPeople
    work: StaffWork  # the week's staff commands
    charts: dict[str, bytes]  # file name → PNG
    cids: dict[str, str]  # chart file name → its Content-ID in the mail
    documents: dict[str, tuple[str, bytes]]  # file name → (content type, bytes)
    text: str
    html_mail: str  # images by cid:
    html_file: str  # images by file name, for the folder

    @property
    def periods(self) -> list[PeriodFigures]:
        return [figures for section in self.sections for figures in section.periods]

    @property
    def inline_images(self) -> list[tuple[str, bytes]]:
        """The charts as the mail carries them: (Content-ID, PNG)."""
        return [(self.cids[name], png) for name, png in self.charts.items()]


def make_digest(config: Config, engine: Engine, now: dt.datetime, views: Sequence[Config] | None = None,
                period: Period | None = None) -> Digest:
    """The digest of ``views`` (programme views of ``config``; default: every programme), or of
    ``period`` alone (any period of a programme, not only those the digest is about now)."""
    from robot.digest.chart import chart_png
    from robot.digest.figures import digest_periods, period_figures
    from robot.digest.frames import read_reports
    from robot.digest.summary_report import summary_report_docx
    from robot.digest.workbook import digest_workbook

    views = list(config.programme_views if views is None else views)
    if period is not None:
        views = [view for view in views if view.programme_id == period.programme]
    due = [[period] if period is not None else digest_periods(view, now) for view in views]
    with open_session(engine) as session:
        frames = [read_reports(view, session.connection(), periods) for view, periods in zip(views, due)]
        attention = needs_attention(config, session, now)
        left = left_for_people(config, session, now)
        work = staff_work(config, session, now)
    sections = [Section(view, period_figures(view, frame, periods), config.has_programmes)
                for view, frame, periods in zip(views, frames, due)]
    local = now.astimezone(config.tz)
    charts, cids, images, documents = {}, {}, {}, {}
    for section in sections:
        targets = section.view.targets
        for figures in _charted(section.periods, now):
            name = section.file_name("bieu-do", f"{figures.period.id}.png")
            charts[name] = chart_png(figures, targets.students_percent if targets else None)
            cids[name] = section.file_name("chart", f"{figures.period.id}@report-robot")
            images[figures.period.programme, figures.period.id] = name
        documents[section.file_name("tong-hop", f"{local:%Y-%m-%d}.xlsx")] = (
            XLSX, digest_workbook(section.view, section.periods))
        for figures in section.periods:
            documents[section.file_name("du-thao-bao-cao", f"{figures.period.id}.docx")] = (
                DOCX, summary_report_docx(section.view, figures))
    subject = f"Tổng hợp tình hình báo cáo đến ngày {local:%d/%m/%Y}"
    context = dict(
        subject=subject, now=local.strftime("%H:%M ngày %d/%m/%Y"), moment=now, sections=sections,
        attention=attention, left=left, work=work, mailbox=config.mailbox.address,
        state_names=STATE_NAMES, percent=percent, number=number, fraction=fraction, on_complete=on_complete,
        target_percent=target_percent, attention_groups=_attention_groups(attention),
    )
    html = html_templates.get_template("digest.html.j2")
    return Digest(
        now=now, subject=subject, sections=sections, attention=attention, left=left, work=work, charts=charts,
        cids=cids, documents=documents, text=text_templates.get_template("digest.txt.j2").render(**context),
        html_mail=html.render(**context, images={key: f"cid:{cids[name]}" for key, name in images.items()}),
        html_file=html.render(**context, images=images),
    )


def write_digest(digest: Digest, folder: Path) -> list[Path]:
    """digest.html, the chart PNGs, the workbooks and the Word drafts, written into ``folder``."""
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
            inline_images=digest.inline_images,
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


def _attention_groups(attention: Attention) -> list[tuple[str, list]]:
    return [
        ("Thư từ địa chỉ chưa đăng ký", attention.unknown_senders),
        ("Tệp báo cáo không đọc được", attention.unreadable),
        ("Thư xử lý bị lỗi", attention.intake_errors),
        ("Thư gửi đi không thành công", attention.undelivered),
        ("Lỗi kết nối hộp thư", attention.mailbox_errors),
    ]
