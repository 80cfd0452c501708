"""The `robot` command. Each command is a thin wrapper over a library function.

`robot poll` runs from cron as a fresh process, so this module imports only typer: each command
imports what it needs inside its own body, and `robot --help` loads nothing else. Help is
plain click formatting (rich_markup_mode=None): typer's rich help alone costs ~200 ms a start.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from rich.console import Console
    from sqlalchemy.engine import Engine

    from robot.config import Config
    from robot.periods import Period
    from robot.status import StatusRow

app = typer.Typer(
    help="Report intake robot: reads the reporting mailbox, files the figures, answers senders.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

NowOption = Annotated[
    Optional[str],
    typer.Option("--now", help="Act as if it were this ISO-8601 instant (default: the real clock)."),
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show what would be sent; send nothing.")]
ProgrammeOption = Annotated[
    Optional[str],
    typer.Option("--programme", help="Only this report programme (its id in config.yaml; default: every one)."),
]


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr for staff (never wrapped: cron mail and log scrapers read it), then exit."""
    typer.secho(" ".join(message.split()), fg="red", err=True)
    raise typer.Exit(code)


def say(message: str) -> None:
    """A line for staff on stderr (stdout may carry a file being exported)."""
    typer.echo(message, err=True)


def console() -> Console:
    """rich, for the tables on stdout; imported only by the commands that print one."""
    from rich.console import Console

    return Console()


@dataclass
class Context:
    config_path: Path

    def config(self) -> Config:
        from robot.config import load_config
        from robot.errors import ConfigError

        try:
            return load_config(self.config_path)
        except ConfigError as exc:
            typer.secho(f"config.yaml có lỗi ({len(exc.problems)}):", fg="red", err=True)
            for problem in exc.problems:
                typer.echo(f"  - {problem}", err=True)
            raise typer.Exit(2) from None

    def engine(self, config: Config) -> Engine:
        from store.db import open_engine

        return open_engine(config.database_url)

    def clock(self, config: Config, now: str | None) -> Callable[[], dt.datetime]:
        from robot.clock import make_clock

        return make_clock(now, config.tz)


@app.callback()
def main(
    ctx: typer.Context,
    config: Annotated[
        Path, typer.Option("--config", envvar="ROBOT_CONFIG", help="Path of config.yaml.")
    ] = Path("config.yaml"),
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    """Report intake robot for the Department of Education and Training."""
    from robot.logs import setup_logging

    setup_logging(verbose)
    ctx.obj = Context(config)


@app.command()
def poll(ctx: typer.Context, now: NowOption = None,
         dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be done with each "
                                               "new mail; change nothing, send nothing.")] = False) -> None:
    """Run one intake cycle: read new mail, file reports, queue replies, flush the outbox.

    A mailbox never polled before is only baselined (mailbox.first_poll: new-only): the mail
    already in it is left to `robot backfill`. Exits 0 even when some messages were bad (they
    are recorded and answered); exits 1 when the mailbox could not be reached.

    Example: robot poll --dry-run
    """
    from mailer.errors import MailboxError
    from robot.idle_poll import IDLE_LINE
    from robot.poll import poll as run_poll

    config = ctx.obj.config()
    engine = ctx.obj.engine(config)
    try:
        result = run_poll(config, engine, ctx.obj.clock(config, now), dry_run=dry_run)
    except MailboxError as exc:
        from robot.views import mailbox_error_line

        fail(mailbox_error_line(config, exc), 1)
    if dry_run:
        from robot.views import decisions_table

        console().print(decisions_table(config, result.taken, "Lượt đọc thử (không ghi nhận, không gửi thư)"))
        return
    _vouch_for_idle_polls(ctx.obj.config_path, config)
    if not result.outcomes and not any(astuple(result.flushed)) and result.baselined_at is None:
        typer.echo(IDLE_LINE)  # cron's every few minutes: one line, no rich
        return
    from robot.views import outcome_table

    console().print(outcome_table(result))


def _vouch_for_idle_polls(config_path: Path, config: Config) -> None:
    """After a full poll, the stamp that lets the next idle polls skip loading the robot
    (robot/idle_poll.py): this config file, valid, on a database at this code's schema."""
    from robot.idle_poll import stamp, stamp_path

    prefix = "sqlite:///"
    if config.database_url.startswith(prefix) and ":memory:" not in config.database_url:
        stamp_path(Path(config.database_url.removeprefix(prefix))).write_text(
            stamp(config_path.read_bytes()), encoding="utf-8")


@app.command()
def backfill(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help="First day received (YYYY-MM-DD), inclusive.")],
    until: Annotated[Optional[str], typer.Option("--until", help="Last day received (YYYY-MM-DD), "
                                                 "inclusive; default: up to the robot's first poll.")] = None,
    reply: Annotated[bool, typer.Option("--reply", help="Answer the senders as a poll would.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the decisions; change nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per mail.")] = False,
    now: NowOption = None,
) -> None:
    """Take in mail the mailbox received before the robot started (by received date), silently.

    Goes through the same intake as a poll, never twice for one message; answers nobody unless
    --reply. Covers only mail up to the poll position (a never-polled mailbox is baselined first).

    Example: robot backfill --since 2026-06-01 --dry-run
    """
    import datetime as dt

    from mailer.errors import MailboxError
    from robot.backfill import backfill as run_backfill

    try:
        first, last = dt.date.fromisoformat(since), dt.date.fromisoformat(until) if until else None
    except ValueError:
        fail(f"Ngày không hợp lệ: '{since}' / '{until}' (dạng YYYY-MM-DD)", 2)
    config = ctx.obj.config()
    engine = ctx.obj.engine(config)
    try:
        result = run_backfill(config, engine, first, last, ctx.obj.clock(config, now), reply=reply, dry_run=dry_run)
    except MailboxError as exc:
        from robot.views import mailbox_error_line

        fail(mailbox_error_line(config, exc), 1)
    from robot.views import decisions_json, decisions_table

    if as_json:
        import json

        typer.echo(json.dumps(decisions_json(result.taken), ensure_ascii=False, indent=2))
        return
    title = "Nhập thư cũ — chạy thử (không ghi nhận, không gửi thư)" if dry_run else (
        "Nhập thư cũ" + ("" if reply else " (không gửi thư trả lời)"))
    console().print(decisions_table(config, result.taken, title))


def _views(config: Config, programme: str | None) -> tuple[Config, ...]:
    """The programme views a command is about: the one --programme names, or every one."""
    if programme is None:
        return config.programme_views
    view = config.programme(programme)
    if view is None:
        known = ", ".join(v.programme_id for v in config.programme_views)
        fail(f"Không có chương trình báo cáo '{programme}' (có: {known})", 2)
    return (view,)


# How a period id is written, by period type ("annual-YYYY", "monthly-YYYY-MM").
_ID_FORMS = {"monthly": "-YYYY-MM", "quarterly": "-YYYY-Qn", "weekly": "-YYYY-Wnn"}


def _periods(views: tuple[Config, ...], period: str | None, now: dt.datetime) -> list[tuple[Config, Period]]:
    """Each programme's last closed and open periods, or the period --period names in each programme."""
    from robot.periods import period_by_id
    from robot.status import default_periods

    if period is None:
        return [(view, found) for view in views for found in default_periods(view, now)]
    pairs = [(view, found) for view in views if (found := period_by_id(view, period)) is not None]
    if not pairs:
        ids = ", ".join(f"{r.id}{_ID_FORMS.get(r.period, '-YYYY')}" for view in views for r in view.reports)
        fail(f"Không có kỳ báo cáo '{period}' (dạng: {ids})", 2)
    return pairs


def _rows(ctx: typer.Context, period: str | None, now: str | None,
          programme: str | None) -> tuple[Config, tuple[Config, ...], list[StatusRow], Engine]:
    from robot.status import period_status
    from store.db import session as open_session

    config = ctx.obj.config()
    views = _views(config, programme)
    engine = ctx.obj.engine(config)
    rows: list[StatusRow] = []
    with open_session(engine) as session:
        for view, found in _periods(views, period, ctx.obj.clock(config, now)()):
            rows += period_status(view, session, found)
    return config, views, rows, engine


@app.command()
def status(
    ctx: typer.Context,
    period: Annotated[Optional[str], typer.Option(help="Period id, e.g. annual-2026.")] = None,
    now: NowOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per (period, unit).")] = False,
    programme: ProgrammeOption = None,
) -> None:
    """Show where every expected unit stands: complete, incomplete, unreadable, unverified, missing.

    Without --period: each programme's last closed period and its open one.

    Example: robot status --period annual-2026 --json
    """
    config, _, rows, engine = _rows(ctx, period, now, programme)
    if as_json:
        import json

        typer.echo(json.dumps([r.as_json(config.has_programmes) for r in rows], ensure_ascii=False, indent=2))
        return
    from robot.lock import lock_holder, lock_name
    from robot.views import (
        LEFT_FOR_PEOPLE,
        heartbeat_table,
        left_for_people_table,
        status_table,
        unknown_senders_table,
    )
    from store import queries
    from store.db import session as open_session

    out = console()
    for table in status_table(config, rows):
        out.print(table)
    mailbox = config.mailbox.address
    with open_session(engine) as session:
        unknown = unknown_senders_table(config, queries.messages_with_outcome(session, mailbox, "unknown_sender"))
        left = left_for_people_table(config, [
            message for outcome in LEFT_FOR_PEOPLE for message in queries.messages_with_outcome(session, mailbox, outcome)])
        heartbeat = heartbeat_table(config, queries.poll_states(session, mailbox),
                                    queries.outbox_counts(session, mailbox),
                                    lock_holder(session, lock_name(config)))
    for table in (unknown, left):
        if table is not None:
            out.print(table)
    out.print(heartbeat)


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json, csv or xlsx.")],
    period: Annotated[Optional[str], typer.Option(help="Period id, e.g. annual-2026.")] = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="File to write (default: stdout).")] = None,
    now: NowOption = None,
    programme: ProgrammeOption = None,
) -> None:
    """Export every unit's figures for a period (default: the last closed and the open one).

    With several programmes: xlsx has a sheet per programme, json rows name theirs, and csv
    (one set of columns) needs --programme.

    Example: robot export --period annual-2026 --format xlsx --out nam-2026.xlsx
    """
    import sys

    from robot import export as exporting

    if out_file is None and fmt is ExportFormat.xlsx:
        fail("Định dạng xlsx cần --out FILE.", 2)

    config, views, rows, _ = _rows(ctx, period, now, programme)
    if fmt is ExportFormat.csv and len(views) > 1:
        known = ", ".join(v.programme_id for v in views)
        fail(f"Tệp csv chỉ ghi một chương trình báo cáo: chọn --programme (có: {known}).", 2)
    writer = {"json": exporting.to_json, "csv": exporting.to_csv, "xlsx": exporting.to_xlsx}[fmt.value]
    data = writer(config, views, rows)
    if out_file is None:
        sys.stdout.buffer.write(data)
        return
    out_file.write_bytes(data)
    say(f"Đã ghi {len(rows)} dòng vào {out_file}")


class TemplateFormat(str, Enum):
    docx = "docx"
    xlsx = "xlsx"


@app.command()
def template(
    ctx: typer.Context,
    fmt: Annotated[TemplateFormat, typer.Option("--format", help="docx or xlsx.")],
    out_file: Annotated[Path, typer.Option("--out", help="File to write.")],
    unit_type: Annotated[Optional[str], typer.Option(help="Only the fields for this unit type.")] = None,
    programme: Annotated[Optional[str], typer.Option("--programme", help="The report programme whose "
                                                     "template to write (needed when there are several).")] = None,
) -> None:
    """Write the blank report template from a programme's indicator set.

    Example: robot template --format docx --unit-type thpt --out mau-bao-cao.docx
    """
    from robot.blank_template import template_bytes

    config = ctx.obj.config()
    views = _views(config, programme)
    if len(views) > 1:
        known = ", ".join(v.programme_id for v in views)
        fail(f"Có nhiều chương trình báo cáo: chọn mẫu của chương trình nào bằng --programme (có: {known})", 2)
    if unit_type is not None and unit_type not in config.unit_types:
        fail(f"Không có loại đơn vị '{unit_type}' (có: {', '.join(config.unit_types)})", 2)
    out_file.write_bytes(template_bytes(views[0], fmt.value, unit_type))
    say(f"Đã ghi mẫu báo cáo vào {out_file}")


@app.command()
def check(ctx: typer.Context) -> None:
    """Check config.yaml (every problem, with its key) and try the IMAP and SMTP logins.

    Exits non-zero when anything is wrong.

    Example: ROBOT_IMAP_PASSWORD=... ROBOT_SMTP_PASSWORD=... robot check
    """
    from rich.markup import escape

    from robot.checks import ocr_status, programme_lines, server_checks, settings_problems

    config = ctx.obj.config()
    problems = settings_problems(config)
    out = console()
    if config.has_programmes:
        out.print(f"[green]✓[/green] {ctx.obj.config_path}: {len(config.units)} đơn vị, "
                  f"{len(config.programme_views)} chương trình báo cáo")
        for line in programme_lines(config):
            out.print(f"  • {escape(line)}")
    else:
        (only,) = config.programme_views
        out.print(f"[green]✓[/green] {ctx.obj.config_path}: {len(config.units)} đơn vị, "
                  f"{len(only.fields)} chỉ tiêu, {len(only.reports)} loại báo cáo")
    for problem in problems:
        out.print(f"[red]✗[/red] {problem}", markup=True)
    on, line = ocr_status()  # OCR off is a choice of the machine, not an error
    out.print(f"{'[green]✓[/green]' if on else '•'} {line}")
    failed = bool(problems)
    for name, ok, words in server_checks(config):
        mark = "[green]✓[/green]" if ok else "[red]✗[/red]"
        out.print(f"{mark} {name}: {words}")
        failed |= not ok
    if failed:
        raise typer.Exit(1)


@app.command()
def remind(ctx: typer.Context, now: NowOption = None, dry_run: DryRunOption = False,
           programme: ProgrammeOption = None,
           unit: Annotated[Optional[list[str]], typer.Option(
               "--unit", metavar="CODE",
               help="Remind only this unit (code or name; repeatable) now: its step due now, once.")] = None,
           force: Annotated[bool, typer.Option(
               "--force", help="With --unit: remind again even if the step due now was sent.")] = False) -> None:
    """Send the reminders due now (before the deadline, overdue, escalation), then flush the outbox.

    Each (unit, programme, period, step) is sent once, however often this runs; nothing is sent
    before reminders.hour of the day. --unit reminds the units named now, for the last closed
    and open periods, even between the scheduled days, like the staff mail command "Nhắc"
    (audited); --force sends again a step already sent. Complete and excused units never are.

    Example: robot remind --now 2026-05-29T08:30 --dry-run

    Example: robot remind --unit PGD-TANAN --unit THPT-LEQUYDON --force
    """
    from robot.outbox import flush
    from robot.reminders import send_reminders
    from robot.views import reminders_table

    config = ctx.obj.config()
    views = _views(config, programme)
    engine = ctx.obj.engine(config)
    moment = ctx.obj.clock(config, now)()
    out = console()
    if unit:
        import getpass

        from robot.staff.excusals import Refused
        from robot.staff.reminding import describe, remind_by_admin

        try:
            parts = remind_by_admin(config, engine, unit, getpass.getuser(), moment, force, views, dry_run)
        except Refused as exc:
            fail(f"Không thực hiện được: {exc}", 2)
        out.print(reminders_table([item for part in parts for item in part.sent], dry_run, config.has_programmes))
        if lines := describe(parts, "Để nhắc lại ngay những đơn vị đã được nhắc đợt này, thêm --force.", False):
            typer.echo(lines)
    elif force:
        fail("--force chỉ dùng cùng --unit, ví dụ: robot remind --unit PGD-TANAN --force", 2)
    else:
        planned = send_reminders(config, engine, moment, dry_run=dry_run, views=views)
        out.print(reminders_table(planned, dry_run, config.has_programmes))
    if not dry_run:
        result = flush(config, engine, moment)
        out.print(f"Đã gửi: {result.sent}, chờ gửi lại: {result.retrying}, lỗi: {result.failed}")


@app.command()
def digest(
    ctx: typer.Context,
    now: NowOption = None,
    dry_run: DryRunOption = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Also write the digest's files into this folder.")] = None,
    programme: ProgrammeOption = None,
) -> None:
    """Build the staff digest (open and recently closed periods) and mail it to digest.recipients.

    --out writes digest.html, the chart(s), the workbook and the Word draft of the department's
    report into a folder; --dry-run queues and sends nothing. With several programmes the digest
    has a section, a workbook and drafts per programme; --programme keeps one.

    Example: robot digest --dry-run --out bao-cao-tuan
    """
    from robot.digest.build import make_digest, queue_digest, write_digest
    from robot.outbox import flush

    config = ctx.obj.config()
    views = _views(config, programme)
    engine = ctx.obj.engine(config)
    moment = ctx.obj.clock(config, now)()
    built = make_digest(config, engine, moment, views)
    out = console()
    for section in built.sections:
        if section.title:
            out.print(f"{section.title}:", markup=False, highlight=False, soft_wrap=True)
        for figures in section.periods:
            total = figures.total
            out.print(f"{'  ' if section.title else ''}{figures.period.title}: phải nộp {total.expected}, "
                      f"đã nộp đủ {total.states['complete']}, đúng hạn {total.on_time}, "
                      f"chưa nộp {total.states['missing']}"
                      + (f", được miễn {len(figures.excused)}" if figures.excused else ""),
                      soft_wrap=bool(section.title))  # unwrapped under a programme's heading
    if out_dir is not None:
        written = write_digest(built, out_dir)
        out.print(f"Đã ghi {len(written)} tệp vào {out_dir}")
    if dry_run:
        return
    if not config.digest.recipients:
        fail("Chưa có người nhận (digest.recipients) — không gửi.", 2)
    queue_digest(config, engine, built)
    result = flush(config, engine, moment)
    out.print(f"Đã gửi: {result.sent}, chờ gửi lại: {result.retrying}, lỗi: {result.failed}")


@app.command()
def run(ctx: typer.Context) -> None:
    """Run the robot on its schedule until stopped (SIGTERM or Ctrl-C): poll, send, remind, digest.

    Polls every daemon.poll_minutes, retries the outbox, sends reminders daily at reminders.hour
    and the digest on digest.schedule, in the config's time zone. Only one daemon may run per
    mailbox (robots of other mailboxes may share the database): a second one exits with code 3. Logs go to stderr and to daemon.log_file.

    Example: robot --config /etc/robot/config.yaml run
    """
    from robot.daemon import Daemon, add_log_file
    from robot.lock import InstanceLock, LockHeld, lock_name

    config = ctx.obj.config()
    engine = ctx.obj.engine(config)
    add_log_file(config.log_file)
    lock = InstanceLock(engine, lock_name(config), config.daemon.lock_seconds)
    try:
        lock.acquire()
    except LockHeld as exc:
        fail(f"Một rô-bốt khác đang chạy trên cùng cơ sở dữ liệu ({exc}); không khởi động thêm.", 3)
    raise typer.Exit(Daemon(config, engine, lock).run())


@app.command()
def demo(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the demo's store, mail and digest files.")] = Path("demo-out"),
    keep_running: Annotated[bool, typer.Option("--keep-running", help="Leave the embedded mail servers up "
                                               "afterwards (and print how to connect a mail client).")] = False,
) -> None:
    """Show the whole robot at work on embedded mail servers, with no mail account needed.

    Starts an IMAP and an SMTP server inside the process on loopback, puts about 20 mails such as
    schools send into the mailbox (built from the config's units and templates), then polls,
    replies, sends the reminders due a week before the annual deadline and builds the digest.
    Uses --config when that file exists, else the shipped config.yaml. Everything is written to
    --out (default ./demo-out), which starts from an empty store each time.

    Example: robot demo --out /tmp/demo --keep-running
    """
    import logging

    from robot.demo.demo_config import shipped_config_path
    from robot.demo.flow import run_demo

    source = ctx.obj.config_path if ctx.obj.config_path.is_file() else shipped_config_path()
    Context(source).config()  # every problem of the config, printed as `robot check` does
    if logging.getLogger().level > logging.DEBUG:  # without --verbose, the progress bars speak
        logging.getLogger().setLevel(logging.WARNING)
    run_demo(source, out_dir, console(), keep_running)


@app.command()
def accept(
    ctx: typer.Context,
    message_id: Annotated[str, typer.Argument(help="Message-ID of the unverified mail (see robot status).")],
    by: Annotated[Optional[str], typer.Option(help="Who accepts it (default: the login name).")] = None,
    now: NowOption = None,
    programme: Annotated[Optional[str], typer.Option("--programme", help="Accept only the mail's "
                                                     "reports of this programme.")] = None,
) -> None:
    """Accept an unverified report as the unit's own: it becomes the unit's current version.

    The acceptance is recorded with who and when; the unverified copy stays in the history.

    Example: robot accept '<abc123@mail.example>' --by nguyenvana
    """
    import getpass

    from robot.accept import accept as accept_report
    from robot.errors import RobotError
    from robot.views import STATE_WORDS

    config = ctx.obj.config()
    if programme is not None:
        _views(config, programme)  # an unknown id is refused before the store is touched
    moment = ctx.obj.clock(config, now)()
    try:
        accepted = accept_report(ctx.obj.engine(config), config.mailbox.address, message_id,
                                 by or getpass.getuser(), moment, programme)
    except RobotError as exc:
        fail(f"Không chấp nhận được: {exc}", 1)
    out = console()
    for item in accepted:
        named = f" (chương trình {item.programme})" if config.has_programmes else ""
        out.print(f"Đã ghi nhận báo cáo của {item.unit_code} cho kỳ {item.period_id}{named}: "
                  f"lần gửi {item.version}, {STATE_WORDS[item.state]}")


@app.command()
def excuse(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Argument(help="Unit code (or name) to excuse.")] = None,
    period: Annotated[Optional[str], typer.Argument(help="Period id, e.g. annual-2026.")] = None,
    reason: Annotated[str, typer.Option(help="Why the unit is not expected (kept with the excusal).")] = "",
    by: Annotated[Optional[str], typer.Option(help="Who excuses it (default: the login name).")] = None,
    undo: Annotated[Optional[int], typer.Option("--undo", help="Undo the excusal with this id instead.")] = None,
    now: NowOption = None,
) -> None:
    """Excuse a unit from reporting for a period (closed, merged …), or undo an excusal.

    An excused unit is not reminded for the period and its `status --json` row carries
    "excused": true. The same as the staff mail commands "Miễn" and "Hoàn tác"; audited.

    Example: robot excuse PGD-TANAN annual-2025 --reason "Sáp nhập vào tỉnh Tây Ninh" --by nguyenvana
    """
    import getpass

    from robot.staff.admin import excuse_by_admin, undo_by_admin
    from robot.staff.excusals import Refused

    config = ctx.obj.config()
    moment = ctx.obj.clock(config, now)()
    who = by or getpass.getuser()
    try:
        if undo is not None:
            row = undo_by_admin(config, ctx.obj.engine(config), undo, who, moment)
            typer.echo(f"Đã hoàn tác lần miễn số {row.id}: {row.unit_code} lại phải nộp kỳ {row.period_id}.")
            return
        if not unit or not period:
            fail("Cần mã đơn vị và mã kỳ báo cáo, ví dụ: robot excuse PGD-TANAN annual-2025 --reason '…'", 2)
        row, new = excuse_by_admin(config, ctx.obj.engine(config), unit, period, reason, who, moment)
    except Refused as exc:
        fail(f"Không thực hiện được: {exc}", 1)
    if new:
        typer.echo(f"Đã miễn {row.unit_code} kỳ {row.period_id} (số {row.id}); hoàn tác: robot excuse --undo {row.id}")
    else:
        typer.echo(f"{row.unit_code} đã được miễn kỳ {row.period_id} từ trước (số {row.id}); không thay đổi.")


@app.command()
def correct(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="Unit code (or name) whose report to correct.")],
    changes: Annotated[list[str], typer.Argument(help="CODE=VALUE pairs, e.g. 05=755.")],
    period: Annotated[Optional[str], typer.Option(help="Period id (default: the unit's latest report).")] = None,
    reason: Annotated[str, typer.Option(help="Why (told to the unit, kept in the audit).")] = "",
    by: Annotated[Optional[str], typer.Option(help="Who corrects (default: the login name).")] = None,
    now: NowOption = None,
) -> None:
    """Correct misread figures of a unit's report: a new version, the unit told what changed.

    The same as the staff mail command "Sửa"; audited; undone by mail with "Hoàn tác <number>".

    Example: robot correct THPT-TANAN 05=755 --period annual-2026 --reason "Trường báo nhập nhầm" --by nguyenvana
    """
    import getpass

    from robot.outbox import flush
    from robot.staff.admin import correct_by_admin
    from robot.staff.corrections import split_changes
    from robot.staff.excusals import Refused

    config = ctx.obj.config()
    moment = ctx.obj.clock(config, now)()
    pairs, _, rest = split_changes(tuple(changes))
    if not pairs or rest:
        fail("Cần các cặp <mã chỉ tiêu>=<giá trị>, ví dụ: robot correct THPT-TANAN 05=755", 2)
    engine = ctx.obj.engine(config)
    try:
        number, done = correct_by_admin(config, engine, unit, period, pairs, reason, by or getpass.getuser(), moment)
    except Refused as exc:
        fail(f"Không thực hiện được: {exc}", 1)
    for code, label, before, after in done.changes:
        typer.echo(f"{done.unit.code} {done.period.id} {code} — {label}: {before} → {after}")
    typer.echo(f"Đã sửa: lần {done.submission.version} (số {number}); đơn vị được gửi thư báo.")
    flush(config, engine, moment)


@app.command("file-for")
def file_for(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="Unit code (or name) the report is filed for.")],
    report_file: Annotated[Path, typer.Argument(help="The report file (xlsx, docx, pdf, a scan …).")],
    received: Annotated[Optional[str], typer.Option(help="When the department received it (ISO date; default now): decides on time or late.")] = None,
    period: Annotated[Optional[str], typer.Option(help="Period id (default: read from the report and the received date).")] = None,
    by: Annotated[Optional[str], typer.Option(help="Who files it (default: the login name).")] = None,
    now: NowOption = None,
) -> None:
    """File a report that reached the department another way (paper, Zalo …) for a unit.

    Read and validated as the unit's own, filed as its next version, the unit acknowledged
    (saying the department filed it). The same as the staff mail command "Nộp thay"; audited.

    Example: robot file-for THPT-TANAN bao-cao-giay.xlsx --received 2026-11-28 --by nguyenvana
    """
    import getpass

    from robot.clock import parse_now
    from robot.outbox import flush
    from robot.staff.admin import file_for_by_admin
    from robot.staff.excusals import Refused

    config = ctx.obj.config()
    moment = ctx.obj.clock(config, now)()
    engine = ctx.obj.engine(config)
    try:
        when = parse_now(received, config.tz) if received else None
        number, submission = file_for_by_admin(config, engine, unit, report_file, by or getpass.getuser(), moment,
                                               when, period)
    except ValueError:
        fail(f"Ngày nhận không hợp lệ: {received} (ví dụ 2026-11-28)", 2)
    except Refused as exc:
        fail(f"Không thực hiện được: {exc}", 1)
    state = "đầy đủ" if submission.state == "complete" else "chưa đủ"
    typer.echo(f"Đã nộp thay {submission.unit_code} kỳ {submission.period_id}: lần {submission.version}, {state}, "
               f"{'đúng hạn' if submission.on_time else 'trễ hạn'} (số {number}); đơn vị được gửi thư xác nhận.")
    flush(config, engine, moment)


@app.command()
def purge(
    ctx: typer.Context,
    before: Annotated[Optional[str], typer.Option(help="ISO date; default: now minus store.retention_days.")] = None,
    now: NowOption = None,
) -> None:
    """Remove archived raw mail received before a date; the filed figures are kept.

    Example: robot purge --before 2021-01-01
    """
    import datetime as dt

    from robot.clock import parse_now
    from robot.purge import purge_archive

    config = ctx.obj.config()
    moment = ctx.obj.clock(config, now)()
    cutoff = parse_now(before, config.tz) if before else moment - dt.timedelta(days=config.store.retention_days)
    removed = purge_archive(ctx.obj.engine(config), cutoff)
    typer.echo(f"Đã xoá {removed} thư lưu trữ nhận trước {cutoff:%d/%m/%Y}.")
