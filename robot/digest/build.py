"""The digest as a whole: figures for each period, its files, the mail — written to a folder or queued."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from mailer.incoming import Attachment
from robot.config import Config
from robot.digest.attention import Attention, needs_attention
from robot.digest.chart import chart_png
from robot.digest.figures import PeriodFigures, UnitFigures, digest_periods, period_figures
from robot.digest.summary_report import summary_report_docx
from robot.digest.words import STATE_NAMES, percent
from robot.digest.workbook import digest_workbook
from robot.outbox import enqueue
from robot.status import StatusRow
from robot.templating import html_templates, text_templates
from store.db import session as open_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Digest:
    """One digest: its figures and every file it is made of (name → bytes)."""

    now: dt.datetime
    subject: str
    periods: list[PeriodFigures]
    attention: Attention
    charts: dict[str, bytes]  # file name → PNG
    documents: dict[str, tuple[str, bytes]]  # file name → (content type, bytes)
    text: str
    html_mail: str  # images by cid:
    html_file: str  # images by file name, for the folder


def make_digest(config: Config, engine: Engine, now: dt.datetime) -> Digest:
    with open_session(engine) as session:
        periods = [period_figures(config, session, p) for p in digest_periods(config, now)]
        attention = needs_attention(config, session, now)
    local = now.astimezone(config.tz)
    charts = {_chart_name(f): chart_png(f, config.targets.students_percent) for f in periods}
    documents = {f"tong-hop-{local:%Y-%m-%d}.xlsx": (XLSX, digest_workbook(config, periods))}
    for figures in periods:
        documents[f"du-thao-bao-cao-{figures.period.id}.docx"] = (DOCX, summary_report_docx(config, figures))
    subject = f"Tổng hợp tình hình báo cáo đến ngày {local:%d/%m/%Y}"
    context = dict(
        subject=subject, now=local.strftime("%H:%M ngày %d/%m/%Y"), moment=now, periods=periods,
        attention=attention, mailbox=config.mailbox.address, targets=config.targets,
        state_names=STATE_NAMES, percent=percent, number=_number, gaps=_gaps(config),
        below_target=_below_target(config), attention_groups=_attention_groups(attention),
    )
    html = html_templates.get_template("digest.html.j2")
    return Digest(
        now=now, subject=subject, periods=periods, attention=attention, charts=charts,
        documents=documents, text=text_templates.get_template("digest.txt.j2").render(**context),
        html_mail=html.render(**context, images={f.period.id: f"cid:{_cid(f)}" for f in periods}),
        html_file=html.render(**context, images={f.period.id: _chart_name(f) for f in periods}),
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
            inline_images=[(_cid(f), digest.charts[_chart_name(f)]) for f in digest.periods],
            attachments=[Attachment(filename=name, content_type=kind, data=data)
                         for name, (kind, data) in digest.documents.items()],
        )
        session.commit()


def _chart_name(figures: PeriodFigures) -> str:
    return f"bieu-do-{figures.period.id}.png"


def _cid(figures: PeriodFigures) -> str:
    return f"chart-{figures.period.id}@report-robot"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _gaps(config: Config):
    codes = {f.key: f"{f.code} — {f.label}" for f in config.fields}

    def gaps(row: StatusRow) -> str:
        return "; ".join(codes.get(k, k) for k in dict.fromkeys(row.missing + row.invalid))
    return gaps


def _below_target(config: Config):
    def below(figures: PeriodFigures) -> list[UnitFigures]:
        return [u for u in figures.units
                if u.students_share is not None and u.students_share < config.targets.students_percent]
    return below


def _attention_groups(attention: Attention) -> list[tuple[str, list]]:
    return [
        ("Thư từ địa chỉ chưa đăng ký", attention.unknown_senders),
        ("Tệp báo cáo không đọc được", attention.unreadable),
        ("Thư xử lý bị lỗi", attention.intake_errors),
        ("Thư gửi đi không thành công", attention.undelivered),
        ("Lỗi kết nối hộp thư", attention.mailbox_errors),
    ]
