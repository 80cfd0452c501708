"""config.yaml loaded into one validated model.

Admins edit the YAML; everything programme-specific (units, indicators, deadlines, recipients)
lives there. ``load_config`` returns a ``Config`` or raises ``ConfigError`` listing *every*
problem with its key path, so ``robot check`` can print them all at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mailer.passwords import read_secret
from mailer.settings import ImapSettings, SmtpSettings
from parsers.schema import FieldSpec, Schema
from robot.config_checks import DEFAULT_PROGRAMME, cross_check, field_code
from robot.errors import ConfigError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _email_list(values: list[str]) -> list[str]:
    cleaned = [v.strip().lower() for v in values]
    bad = [v for v in cleaned if not _EMAIL.match(v)]
    if bad:
        raise ValueError(f"not an email address: {', '.join(bad)}")
    return cleaned


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PostAction(_Model):
    """Cosmetic marking of a processed message, after the database commit."""

    kind: Literal["none", "keyword", "move"] = "none"
    value: str = ""  # the keyword (e.g. "RobotProcessed") or the target folder


class ImapConfig(_Model):
    host: str = ""
    port: int = Field(993, ge=1, le=65535)
    security: Literal["ssl", "starttls", "none"] = "ssl"
    username: str = ""
    password_env: str = ""
    password_file: Path | None = None  # alternative to password_env: a file only the service user reads
    folder: str = "INBOX"
    verify_tls: bool = True
    ca_file: Path | None = None
    timeout_seconds: float = Field(30, gt=0)
    batch_size: int = Field(50, ge=1, le=1000)
    post_action: PostAction = PostAction()


class SmtpConfig(_Model):
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    security: Literal["ssl", "starttls", "none"] = "starttls"
    username: str = ""
    password_env: str = ""
    password_file: Path | None = None
    verify_tls: bool = True
    ca_file: Path | None = None
    timeout_seconds: float = Field(30, gt=0)


class MailboxConfig(_Model):
    address: str
    display_name: str = "Hệ thống tiếp nhận báo cáo"
    # A mailbox never polled before: "new-only" takes in only mail arriving after the first poll
    # (what was there before is left to `robot backfill`); "all" reads everything from UID 1.
    first_poll: Literal["new-only", "all"] = "new-only"
    imap: ImapConfig = ImapConfig()
    smtp: SmtpConfig = SmtpConfig()

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError(f"'{value}' is not an email address")
        return value.lower()


class StoreConfig(_Model):
    url: str = "sqlite:///var/robot.db"
    archive_dir: Path = Path("var/archive")
    # `robot purge` removes archived raw mail older than this; filed figures are kept.
    retention_days: int = Field(1825, ge=30)


class Organisation(_Model):
    """Words printed in templates and the department's own report."""

    authority: str = "UBND TỈNH"  # the body above the department, first header line
    name: str = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    place: str = ""  # place name of the place-date line ("Long An, ngày … tháng … năm …")
    programme: str = ""  # what the reports are about, printed under the title


class Contact(_Model):
    name: str = ""
    phone: str = ""


class Unit(_Model):
    code: str
    name: str
    type: str
    emails: list[str] = Field(min_length=1)
    active_from: dt.date | None = None
    active_until: dt.date | None = None
    contact: Contact = Contact()
    supervisor_emails: list[str] = []

    @field_validator("emails", "supervisor_emails")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        return _email_list(values)

    def active_on(self, day: dt.date) -> bool:
        """Whether the unit is expected to report for a period whose deadline is ``day``."""
        if self.active_from and day < self.active_from:
            return False
        if self.active_until and day > self.active_until:
            return False
        return True


class StaffMember(_Model):
    """A department staff member who may command the robot by mail (DESIGN §4 ``staff[]``).

    ``viewer`` may ask (situation, a unit's history, help); ``editor`` may also change
    (excuse a unit, undo).
    """

    name: str
    emails: list[str] = Field(min_length=1)
    role: Literal["viewer", "editor"] = "viewer"

    @field_validator("emails")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        return _email_list(values)

    @property
    def may_change(self) -> bool:
        return self.role == "editor"


class FieldConfig(_Model):
    key: str
    code: str
    label: str
    type: Literal["int", "bool", "text"]
    required: bool = True
    aliases: list[str] = []
    applies_to: list[str] = []

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("use lower-case letters, digits and _ (e.g. so_buoi_tt)")
        return value

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        return field_code(value)


class Rule(_Model):
    """A consistency rule between two integer fields: ``left <= right``."""

    left: str
    op: Literal["<=", ">="] = "<="
    right: str


PeriodType = Literal["weekly", "monthly", "quarterly", "semiannual", "annual"]
# The key that gives each period type its deadline (DESIGN §4).
DUE_KEY: dict[str, str] = {"weekly": "due_weekday", "monthly": "due_day", "quarterly": "due_day",
                           "semiannual": "due", "annual": "due"}


class ReportConfig(_Model):
    """One periodic report of a programme: its period type, deadline rule and data cut-off.

    Every deadline is 00:00 local time of the due day ("before 1 June"). ``due`` (MM-DD) for a
    semiannual or annual report; ``due_day`` N for a monthly or quarterly one: the first day N
    after the period's data ends; ``due_weekday`` (1 = Monday … 7 = Sunday) of the week after a
    weekly period. ``cutoff_day`` C moves a monthly or quarterly period's data window to the
    (C+1)th of the month before its first month … the Cth of its last month (Nghị định 09/2019:
    the monthly report counts from the 15th to the 14th, ``cutoff_day: 14``).
    """

    id: str
    title: str
    period: PeriodType = "annual"
    due: str | None = None  # MM-DD
    due_day: int | None = Field(None, ge=1, le=28)
    due_weekday: int | None = Field(None, ge=1, le=7)
    cutoff_day: int | None = Field(None, ge=1, le=27)
    first_year: int = 2022
    last_year: int | None = None
    # Words that name this report in a subject or document ("6 tháng", "cả năm"); the longest
    # match wins, so "6 tháng đầu năm" picks the semiannual report over a bare "năm".
    keywords: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _default_period(cls, data: object) -> object:
        """Without ``period``: semiannual when due before 1 June, annual otherwise, as in the first round."""
        if isinstance(data, dict) and "period" not in data:
            return {**data, "period": "semiannual" if data.get("due") == "06-01" else "annual"}
        return data

    @model_validator(mode="after")
    def _due_rule(self) -> ReportConfig:
        wanted = DUE_KEY[self.period]
        given = [key for key in ("due", "due_day", "due_weekday") if getattr(self, key) is not None]
        if given != [wanted]:
            raise ValueError(f"a {self.period} report needs '{wanted}' (and no other due key); "
                             f"given: {', '.join(given) or 'none'}")
        if self.cutoff_day is not None and self.period not in ("monthly", "quarterly"):
            raise ValueError("cutoff_day is for monthly and quarterly reports")
        return self

    @field_validator("due")
    @classmethod
    def _due(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            dt.date.fromisoformat(f"2023-{value}")  # not a leap year: 02-29 is not every year
        except ValueError:
            raise ValueError(f"'{value}' is not a month-day like 06-01") from None
        return value

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("use lower-case letters, digits and _ (e.g. semiannual)")
        return value


class RemindersConfig(_Model):
    before_days: list[Annotated[int, Field(ge=1)]] = [7, 3, 1]
    overdue_every_days: int = Field(3, ge=1)
    overdue_max: int = Field(3, ge=0)
    escalate_after_days: int = Field(10, ge=1)
    escalate_to: list[str] = []
    hour: int = Field(8, ge=0, le=23)

    @field_validator("escalate_to")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        return _email_list(values)


class DigestConfig(_Model):
    recipients: list[str] = []
    schedule: str = "mon 07:30"  # day-of-week and local time, or a 5-field cron expression
    recent_days: int = Field(60, ge=0)  # closed periods stay in the digest this long
    # Robots of several mailboxes sharing one database: "all" counts reports filed with any of them.
    scope: Literal["mailbox", "all"] = "mailbox"

    @field_validator("recipients")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        return _email_list(values)

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        problem = digest_schedule_problem(value)
        if problem:
            raise ValueError(problem)
        return value.strip()


_WEEKDAYS = "mon|tue|wed|thu|fri|sat|sun"
_DAY_AND_TIME = re.compile(rf"^((?:{_WEEKDAYS})(?:,(?:{_WEEKDAYS}))*) ([01]?\d|2[0-3]):([0-5]\d)$")


def digest_day_and_time(value: str) -> tuple[str, int, int] | None:
    """("mon", 7, 30) for "mon 07:30"; None when the schedule is not in that form."""
    found = _DAY_AND_TIME.match(value.strip().lower())
    return (found.group(1), int(found.group(2)), int(found.group(3))) if found else None


def digest_schedule_problem(value: str) -> str | None:
    """Why a digest.schedule cannot be used, or None: "mon 07:30" or a 5-field cron expression."""
    if digest_day_and_time(value) is not None:
        return None
    from apscheduler.triggers.cron import CronTrigger  # only for cron expressions: ~50 ms to import

    try:
        CronTrigger.from_crontab(value)
    except ValueError:
        return f"'{value}' is neither a day and time like \"mon 07:30\" nor a 5-field cron expression"
    return None


class TargetsConfig(_Model):
    """Which fields and unit types measure the plan's three targets (DESIGN §1)."""

    # Target 1: every unit organises at least ``propaganda_min`` forms of propaganda; a unit that
    # aggregates schools also reports how many of them did (schools_reached / schools_total).
    propaganda_field: str = "so_hinh_thuc_tt"
    propaganda_min: int = Field(1, ge=0)
    schools_reached_field: str = "so_truong_co_tt"
    schools_total_field: str = "so_truong_truc_thuoc"
    # Target 2: students reached / all students, against a percentage, for these unit types.
    students_reached_field: str = "so_hssv_duoc_tt"
    students_total_field: str = "tong_so_hssv"
    students_unit_types: list[str] = ["thpt", "dai_hoc", "cao_dang_su_pham"]
    students_percent: float = Field(70, gt=0, le=100)
    # Target 3: the work is integrated with the other programmes (a yes/no field).
    integration_field: str = "long_ghep"


class ProgrammeConfig(_Model):
    """One report programme of the department (DESIGN §4 ``programmes[]``): its indicators,
    rules, targets and periodic reports, and who reports it (unit types or unit codes; neither:
    every unit)."""

    id: str
    title: str
    # Words that name this programme in a subject, body, file name or document title.
    keywords: list[str] = []
    fields: list[FieldConfig] = Field(min_length=1)
    rules: list[Rule] = []
    targets: TargetsConfig | None = None  # the plan's three targets; other programmes have none
    reports: list[ReportConfig] = Field(min_length=1)
    unit_types: list[str] = []
    units: list[str] = []

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("use lower-case letters, digits and _ (e.g. phong_chong_ma_tuy)")
        return value


class DaemonConfig(_Model):
    """`robot run`: how often it polls and flushes, its lock, its alert and its log file."""

    poll_minutes: float = Field(5, gt=0)  # may be a fraction (0.05 = 3 seconds, for tests)
    flush_minutes: float = Field(1, gt=0)
    max_backoff_minutes: float = Field(30, gt=0)
    mailbox_alert_minutes: float = Field(60, gt=0)  # unreachable this long: staff are told once
    lock_seconds: int = Field(120, ge=10)  # how often the daemon checks it still holds its lock
    log_file: Path = Path("var/robot.log")


class RepliesConfig(_Model):
    # Who of the unregistered senders is answered: "relevant" (mail about the report, not
    # spam-flagged), "authenticated" (also: the trusted server authenticated the From domain),
    # "never".
    unknown_sender: Literal["authenticated", "relevant", "never"] = "relevant"
    unknown_sender_per_day: int = Field(1, ge=0)
    # Caps on automatic replies (not reminders or digests): excess replies are deferred, not dropped.
    per_address_per_day: int = Field(3, ge=0)
    per_hour: int = Field(100, ge=0)
    max_attempts: int = Field(8, ge=1)  # SMTP attempts per outgoing mail before giving up
    retry_base_seconds: int = Field(60, ge=1)  # first retry delay; doubles each attempt


class LimitsConfig(_Model):
    max_attachment_mb: float = Field(20, gt=0)
    parse_timeout_seconds: float = Field(30, gt=0)
    # A message whose intake fails for a passing reason (database busy, disk full) is tried
    # again on later polls this many times, then quarantined for staff.
    intake_attempts: int = Field(5, ge=1)


class SecurityConfig(_Model):
    trusted_authserv_ids: list[str] = []
    # PEM files of the certificates a signed PDF's signer must chain to, to count as trusted
    # (relative to the config's folder); none: every signature is reported as not verified.
    signature_trust_roots: list[Path] = []


class Config(_Model):
    timezone: str = "Asia/Ho_Chi_Minh"
    mailbox: MailboxConfig
    store: StoreConfig = StoreConfig()
    organisation: Organisation = Organisation()
    unit_types: dict[str, str]
    units: list[Unit]
    # Words that name the report programme in a subject, body, file name or document title
    # ("mại dâm", "PCMD", "1629"): mail naming none of them, outside the robot's threads and
    # without a document that reads as the report, is left for people.
    keywords: list[str] = []
    # The first round's single programme (id "default"); may stand beside ``programmes``.
    fields: list[FieldConfig] = []
    rules: list[Rule] = []
    reports: list[ReportConfig] = []
    # Further report programmes, each with its own indicators, reports and units.
    programmes: list[ProgrammeConfig] = []
    reminders: RemindersConfig = RemindersConfig()
    digest: DigestConfig = DigestConfig()
    replies: RepliesConfig = RepliesConfig()
    limits: LimitsConfig = LimitsConfig()
    security: SecurityConfig = SecurityConfig()
    # Department staff who may command the robot by mail (believed only when authenticated).
    staff: list[StaffMember] = []
    targets: TargetsConfig | None = None  # given (or defaulted) with top-level fields
    daemon: DaemonConfig = DaemonConfig()
    # Directory of config.yaml: relative paths in the file are resolved against it.
    base_dir: Annotated[Path, Field(exclude=True)] = Path(".")
    # Set on the view of one programme (``programme_views``), not in the YAML.
    programme_id: Annotated[str, Field(exclude=True)] = DEFAULT_PROGRAMME
    programme_title: Annotated[str, Field(exclude=True)] = ""

    @model_validator(mode="before")
    @classmethod
    def _default_targets(cls, data: object) -> object:
        """Top-level fields are the plan, measured against its targets as in the first round."""
        if isinstance(data, dict) and data.get("fields") and "targets" not in data:
            return {**data, "targets": {}}
        return data

    @functools.cached_property
    def programme_views(self) -> tuple[Config, ...]:
        """One config per programme: its fields, rules, targets, reports and keywords at the top,
        its units only. A config of one programme is its own view, unchanged."""
        if not self.programmes:
            return (self,)
        views = []
        if self.fields:
            views.append(self._view(DEFAULT_PROGRAMME, self.organisation.programme, self.units, dict(
                keywords=self.keywords, fields=self.fields, rules=self.rules, reports=self.reports,
                targets=self.targets)))
        for programme in self.programmes:
            units = [u for u in self.units
                     if (not programme.unit_types and not programme.units)
                     or u.type in programme.unit_types or u.code in programme.units]
            views.append(self._view(programme.id, programme.title, units, dict(
                keywords=programme.keywords, fields=programme.fields, rules=programme.rules,
                reports=programme.reports, targets=programme.targets)))
        return tuple(views)

    def _view(self, programme_id: str, title: str, units: list[Unit], parts: dict) -> Config:
        organisation = self.organisation.model_copy(update={"programme": title})
        return self.model_copy(update={**parts, "units": units, "programmes": [], "organisation": organisation,
                                       "programme_id": programme_id, "programme_title": title})

    def programme(self, programme_id: str) -> Config | None:
        """The view of one programme by id, or None."""
        return next((v for v in self.programme_views if v.programme_id == programme_id), None)

    @property
    def has_programmes(self) -> bool:
        """More than one programme: rows and replies name theirs."""
        return len(self.programme_views) > 1

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def schema(self) -> Schema:
        """The indicator set as plain data for the parsers and template writers."""
        return Schema(
            fields=tuple(
                FieldSpec(
                    key=f.key,
                    code=f.code,
                    label=f.label,
                    type=f.type,
                    required=f.required,
                    aliases=tuple(f.aliases),
                    applies_to=tuple(f.applies_to),
                )
                for f in self.fields
            ),
            authority=self.organisation.authority,
            title=self.organisation.name,
            subtitle=self.organisation.programme,
            place=self.organisation.place,
            unit_types=dict(self.unit_types),
            programme=self.programme_id,
        )

    def unit_by_email(self, address: str) -> Unit | None:
        address = address.strip().lower()
        for unit in self.units:
            if address in unit.emails:
                return unit
        return None

    def staff_by_email(self, address: str) -> StaffMember | None:
        """The staff member whose address this is (case-insensitive), or None."""
        address = address.strip().lower()
        return next((member for member in self.staff if address in member.emails), None)

    def unit_by_code(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)

    def path(self, value: Path) -> Path:
        return value if value.is_absolute() else self.base_dir / value

    @property
    def database_url(self) -> str:
        """store.url with a relative SQLite path resolved against the config's folder."""
        url = self.store.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith("sqlite:////") and ":memory:" not in url:
            return prefix + str(self.path(Path(url[len(prefix):])))
        return url

    @property
    def archive_dir(self) -> Path:
        return self.path(self.store.archive_dir)

    @property
    def log_file(self) -> Path:
        return self.path(self.daemon.log_file)

    def imap_settings(self) -> ImapSettings:
        imap = self.mailbox.imap
        return ImapSettings(
            host=imap.host,
            port=imap.port,
            security=imap.security,
            username=imap.username,
            password=self._secret(imap.password_env, imap.password_file),
            folder=imap.folder,
            verify_tls=imap.verify_tls,
            ca_file=self.path(imap.ca_file) if imap.ca_file else None,
            timeout=imap.timeout_seconds,
            batch_size=imap.batch_size,
        )

    def smtp_settings(self) -> SmtpSettings:
        smtp = self.mailbox.smtp
        return SmtpSettings(
            host=smtp.host,
            port=smtp.port,
            security=smtp.security,
            username=smtp.username,
            password=self._secret(smtp.password_env, smtp.password_file),
            verify_tls=smtp.verify_tls,
            ca_file=self.path(smtp.ca_file) if smtp.ca_file else None,
            timeout=smtp.timeout_seconds,
        )

    def _secret(self, env_name: str, file: Path | None) -> str:
        """A password from the environment variable, else from the file (never from config.yaml)."""
        return read_secret(env_name, self.path(file) if file is not None else None)


def load_config(path: Path) -> Config:
    """Read and validate config.yaml; raise ConfigError listing every problem found."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    try:
        # libyaml's safe loader when PyYAML was built with it: 5-10x faster on the shipped file.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError([f"{path}: not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise ConfigError([f"{path}: expected keys such as mailbox, units, fields, reports"])
    for computed in ("base_dir", "programme_id", "programme_title"):
        data.pop(computed, None)
    problems = cross_check(data)
    try:
        config = Config(**data, base_dir=path.resolve().parent)
    except ValidationError as exc:
        problems = [_describe(error) for error in exc.errors()] + problems
    if problems:
        raise ConfigError(problems)
    return config


def _describe(error: dict) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "(top)"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling)"
    elif error["type"] == "missing":
        message = "required key is missing"
    return f"{location}: {message}"
