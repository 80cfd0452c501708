"""The demo from start to end: servers up, mailbox seeded, one full cycle, the summary, servers down."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from mailer.errors import MailboxError
from robot.config import Config, load_config
from robot.demo.demo_config import write_demo_config
from robot.demo.imap_server import DemoImapServer
from robot.demo.result import DemoResult, SentMail
from robot.demo.school_mail import school_mail, thank_you
from robot.demo.smtp_server import DemoSmtpServer
from robot.demo.staff_mail import staff_mail
from robot.demo.summary import print_connection, print_summary, write_summary
from robot.digest.build import make_digest, queue_digest, write_digest
from robot.outbox import flush
from robot.periods import last_closed_period, open_period
from robot.poll import poll
from robot.reminders import send_reminders
from robot.status import default_periods, period_status
from store.db import open_engine
from store.db import session as open_session

SENT_DIR = "thu-da-gui"  # every mail the robot sent, as .eml, in the order the SMTP server got them
KEEP_RUNNING_POLL_SECONDS = 10
# Left from an earlier demo in the same folder: the demo always starts from an empty store.
_OLD_STATE = ("robot.db", "robot.db-wal", "robot.db-shm", "archive", SENT_DIR)


def demo_moment(config: Config, year: int) -> dt.datetime:
    """The instant the demo acts at: the first reminder day before the year's last deadline, at the
    reminder hour — so reports have come in, some units are late for the earlier period, and the
    first reminders of the open one are due."""
    deadlines = [dt.datetime.strptime(f"{year}-{r.due}", "%Y-%m-%d") for r in config.reports]
    last = max(deadlines).replace(tzinfo=config.tz)
    ahead = max(config.reminders.before_days, default=7)
    return last - dt.timedelta(days=ahead) + dt.timedelta(hours=config.reminders.hour, minutes=30)


def run_demo(source: Path, out_dir: Path, console: Console, keep_running: bool = False) -> DemoResult:
    """Run the whole demo on embedded servers; with ``keep_running``, serve until Ctrl-C afterwards."""
    began = time.monotonic()
    shipped = load_config(source)
    out_dir = out_dir.resolve()
    _clear_old_state(out_dir)
    imap = DemoImapServer(shipped.mailbox.address)
    smtp = DemoSmtpServer(imap, shipped.mailbox.address)
    with _progress(console) as progress:
        step = progress.add_task("Khởi động máy chủ thư IMAP và SMTP nhúng", total=1)
        imap.start()
        smtp.start()
        progress.advance(step)
        try:
            result = _cycle(source, out_dir, imap, smtp, progress)
        except BaseException:
            smtp.stop()
            imap.stop()
            raise
    result.seconds = time.monotonic() - began
    write_summary(result)
    print_summary(console, result)
    try:
        if keep_running:
            print_connection(console, result)
            _serve(load_config(result.config_path), console)
    finally:
        smtp.stop()
        imap.stop()
    return result


def _cycle(source: Path, out_dir: Path, imap: DemoImapServer, smtp: DemoSmtpServer,
           progress: Progress) -> DemoResult:
    config_path = write_demo_config(source, out_dir, imap, smtp)
    config = load_config(config_path)
    now = demo_moment(config, dt.datetime.now(config.tz).year)
    closed, current = last_closed_period(config, now), open_period(config, now)
    if closed is None or current is None:
        raise RuntimeError(f"the config has no closed and open period around {now:%Y-%m-%d}")
    engine = open_engine(config.database_url)

    # The robot is switched on before the schools write: its first poll notes where the (empty)
    # mailbox stands, as on a real install (mailbox.first_poll: new-only).
    poll(config, engine, lambda: now)
    mails = school_mail(config, closed, current, now)
    step = progress.add_task(f"Đưa {len(mails)} thư mẫu của các đơn vị vào hộp thư", total=len(mails))
    for mail in sorted(mails, key=lambda m: m.received):
        imap.append(mail.raw, mail.received)
        progress.advance(step)

    step = progress.add_task("Rô-bốt đọc hộp thư, lưu số liệu, gửi thư trả lời", total=2)
    polled = poll(config, engine, lambda: now)
    progress.advance(step)
    # A school thanks the robot for its acknowledgement: recorded for staff, never answered.
    first_ack = next(m for m in smtp.sent_by_robot() if b"X-Report-Robot: ack" in m.raw)
    thanks = thank_you(config, first_ack.raw, now - dt.timedelta(minutes=2))
    mails.append(thanks)
    imap.append(thanks.raw, thanks.received)
    polled.outcomes.update(poll(config, engine, lambda: now).outcomes)
    progress.advance(step)

    step = progress.add_task("Cán bộ làm việc với rô-bốt bằng thư: hỏi tình hình, nộp thay bản giấy", total=1)
    with open_session(engine) as session:
        missing = [row.unit for row in period_status(config, session, current) if row.state == "missing"]
    for mail in staff_mail(config, current, missing[0], now):
        mails.append(mail)
        imap.append(mail.raw, mail.received)
    polled.outcomes.update(poll(config, engine, lambda: now).outcomes)
    progress.advance(step)

    step = progress.add_task(f"Gửi thư nhắc (giả định hôm nay là {now:%d/%m/%Y})", total=1)
    reminders = send_reminders(config, engine, now)
    flush(config, engine, now)
    progress.advance(step)

    step = progress.add_task("Lập báo cáo tổng hợp cho cán bộ (HTML, biểu đồ, Excel, Word)", total=1)
    built = make_digest(config, engine, now)
    digest_files = write_digest(built, out_dir)
    if config.digest.recipients:
        queue_digest(config, engine, built)
        flush(config, engine, now)
    progress.advance(step)

    with open_session(engine) as session:
        status = [row for period in default_periods(config, now) for row in period_status(config, session, period)]
    return DemoResult(
        config=config, out_dir=out_dir, config_path=config_path, now=now, seeded=mails, outcomes=polled.outcomes,
        sent=_save_sent(smtp, out_dir / SENT_DIR), reminders=reminders, digest_files=digest_files,
        status=status,
        imap={"host": config.mailbox.imap.host, "port": imap.port, "user": imap.user, "password": imap.password},
        smtp={"host": config.mailbox.smtp.host, "port": smtp.port},
    )


def _save_sent(smtp: DemoSmtpServer, folder: Path) -> list[SentMail]:
    folder.mkdir(parents=True, exist_ok=True)
    sent = []
    for number, delivered in enumerate(smtp.sent_by_robot(), start=1):
        message = delivered.message
        kind = str(message.get("X-Report-Robot", "unknown"))
        path = folder / f"{number:03d}-{kind}.eml"
        path.write_bytes(delivered.raw)
        sent.append(SentMail(kind=kind, to=", ".join(delivered.rcpt_tos), subject=str(message["Subject"]),
                             message_id=str(message["Message-ID"]).strip(), file=path))
    return sent


def _serve(config: Config, console: Console) -> None:
    """Poll the demo mailbox every few seconds until Ctrl-C, answering what a mail client sends."""
    engine = open_engine(config.database_url)
    try:
        while True:
            time.sleep(KEEP_RUNNING_POLL_SECONDS)
            try:
                result = poll(config, engine, lambda: dt.datetime.now(config.tz))
            except MailboxError as exc:
                console.print(f"[red]Không đọc được hộp thư:[/red] {exc}")
                continue
            if result.processed:
                console.print(f"Đã đọc {result.processed} thư mới, đã gửi {result.flushed.sent} thư trả lời.")
    except KeyboardInterrupt:
        console.print("Đã dừng máy chủ thư nhúng.")


def _clear_old_state(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in _OLD_STATE:
        path = out_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _progress(console: Console) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)
