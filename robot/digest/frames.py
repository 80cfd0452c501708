"""The digest's data as one DataFrame: a row per (period, expected unit) with its report's state and figures.

The same answer as ``robot.status.period_status`` (the `status --json` rows), for every digest
period at once: the reports in one query, all their figures in one query (a row per figure,
pivoted here), and the units with an unreadable file. Queries go through the database driver
with ``pandas.read_sql``: building SQLAlchemy rows for a million figures costs three times the
fetch itself. Imported only on the digest's path (pandas takes a second to import).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy import Text, cast, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select
from sqlmodel import col

from robot.config import Config
from robot.periods import Period
from store.tables import Excusal, Message, Submission, SubmissionValue

# The columns every row has besides one column per field key (the figures as read).
UNIT_COLUMNS = ["period_id", "code", "name", "type", "type_label", "contact_name", "contact_phone", "emails"]
REPORT_COLUMNS = ["state", "on_time", "received_at", "version", "missing", "invalid", "signature"]


def read_reports(config: Config, connection: Connection, periods: Sequence[Period]) -> pd.DataFrame:
    """Every expected unit of each period (config order) with its state, report and figures.

    ``config`` is one programme's view: its units, its fields, and only its reports (period ids
    repeat across programmes: two may both have annual-2026).
    """
    expected = _expected_units(config, periods)
    scope = Scope(config.programme_id, None if config.digest.scope == "all" else config.mailbox.address)
    # Units staff excused for a period are not expected for it: counted apart, never "missing".
    excused = _read(connection, _excused_query([p.id for p in periods], scope))
    if not excused.empty:
        pairs = set(zip(excused["period_id"], excused["unit_code"]))
        out = [(period_id, code) in pairs for period_id, code in zip(expected["period_id"], expected["code"])]
        names = expected[out].groupby("period_id", sort=False)["name"].agg(list).to_dict()
        expected = expected[[not flag for flag in out]].reset_index(drop=True)
    else:
        names = {}
    frame = _read_filed(config, connection, periods, expected, scope)
    frame.attrs["excused"] = names  # period id -> names of the excused units
    return frame


def _read_filed(config: Config, connection: Connection, periods: Sequence[Period], expected: pd.DataFrame,
                scope: Scope) -> pd.DataFrame:
    if expected.empty:
        return expected.assign(**{name: None for name in REPORT_COLUMNS + [f.key for f in config.fields]})
    period_ids = [p.id for p in periods]
    reports = _read(connection, _reports_query(period_ids, scope))
    figures = _read(connection, _figures_query(period_ids, scope))
    unreadable = _read(connection, _unreadable_query(period_ids, scope))

    reports["on_time"] = reports["on_time"].astype(bool)
    reports["is_current"] = reports["is_current"].astype(bool)
    reports["received_at"] = pd.to_datetime(reports["received_at"], utc=True, format="ISO8601")
    current = (reports[reports["is_current"]].sort_values(["received_at", "id"])
               .drop_duplicates(["period_id", "unit_code"], keep="last"))
    unverified = (reports[reports["state"] == "unverified"].sort_values("id")
                  .drop_duplicates(["period_id", "unit_code"], keep="last"))

    keys = ["period_id", "code"]
    rows = expected.merge(_renamed(current, ""), on=keys, how="left")
    rows = rows.merge(_renamed(unverified, "u_").drop(columns=["u_id", "u_version", "u_on_time", "u_signature"]), on=keys, how="left")
    filed = rows["id"].notna()
    only_unverified = ~filed & rows["u_state"].notna()
    for name in ("state", "received_at", "missing", "invalid"):
        rows[name] = rows[name].where(~only_unverified, rows[f"u_{name}"])
    unreadable = unreadable.rename(columns={"unit_code": "code"}).drop_duplicates().assign(unreadable=True)
    is_unreadable = rows[keys].merge(unreadable, on=keys, how="left")["unreadable"].eq(True).to_numpy()
    nothing_filed = (~filed & ~only_unverified).to_numpy()
    rows.loc[nothing_filed, "state"] = np.where(is_unreadable[nothing_filed], "unreadable", "missing")
    rows["on_time"] = rows["on_time"].astype(object).where(filed, None)
    rows["version"] = rows["version"].astype("Int64")
    rows["received_at"] = rows["received_at"].dt.tz_convert(config.timezone)
    for name in ("missing", "invalid"):
        rows[name] = map_distinct(rows[name], _loads, empty=[])
    rows["signature"] = map_distinct(rows["signature"].where(filed, None), _loads)  # the filed report's
    values = _pivot_figures(figures, [f.key for f in config.fields])
    rows = rows.join(values, on="id")
    return rows[UNIT_COLUMNS + REPORT_COLUMNS + [f.key for f in config.fields]]


def _expected_units(config: Config, periods: Sequence[Period]) -> pd.DataFrame:
    """A row per unit active on each period's due day (DESIGN §1), periods in order, units in config order."""
    units = pd.DataFrame.from_records(
        [(unit.code, unit.name, unit.type, config.unit_types.get(unit.type, unit.type), unit.contact.name,
          unit.contact.phone, ", ".join(unit.emails)) for unit in config.units],
        columns=UNIT_COLUMNS[1:])
    frames = [units[[unit.active_on(period.due_day) for unit in config.units]].assign(period_id=period.id)
              for period in periods]
    if not frames:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    return pd.concat(frames, ignore_index=True)[UNIT_COLUMNS]


class Scope(NamedTuple):
    """Whose rows the digest reads: one programme's, of one mailbox (None: every mailbox)."""

    programme: str
    mailbox: str | None


def _in_scope(query: Select, table, scope: Scope) -> Select:
    query = query.where(table.programme == scope.programme)
    return query if scope.mailbox is None else query.where(table.mailbox == scope.mailbox)


def _reports_query(period_ids: list[str], scope: Scope) -> Select:
    """The current and the unverified reports of the periods (JSON lists as text: decoded here)."""
    query = select(
        Submission.id, Submission.period_id, Submission.unit_code, Submission.state, Submission.on_time,
        Submission.received_at, Submission.version, cast(Submission.missing, Text).label("missing"),
        cast(Submission.invalid, Text).label("invalid"), Submission.is_current,
        cast(Submission.signature, Text).label("signature"),
    ).where(col(Submission.period_id).in_(period_ids),
            or_(col(Submission.is_current).is_(True), Submission.state == "unverified"))
    return _in_scope(query, Submission, scope)


def _figures_query(period_ids: list[str], scope: Scope) -> Select:
    """Every figure of the periods' current reports: (submission id, key, JSON text of the value)."""
    query = (
        select(SubmissionValue.submission_id, SubmissionValue.key, cast(SubmissionValue.value, Text).label("value"))
        .join(Submission, col(Submission.id) == SubmissionValue.submission_id)
        .where(col(Submission.period_id).in_(period_ids), col(Submission.is_current).is_(True))
    )
    return _in_scope(query, Submission, scope)


def _excused_query(period_ids: list[str], scope: Scope) -> Select:
    query = select(Excusal.period_id, Excusal.unit_code).where(
        col(Excusal.period_id).in_(period_ids), col(Excusal.undone_at).is_(None))
    return _in_scope(query, Excusal, scope)


def _unreadable_query(period_ids: list[str], scope: Scope) -> Select:
    query = select(Message.period_id, Message.unit_code).where(
        Message.outcome == "unreadable", col(Message.period_id).in_(period_ids))
    return _in_scope(query, Message, scope)


def _read(connection: Connection, query: Select) -> pd.DataFrame:
    """The query's rows as a DataFrame, fetched by the driver itself (no SQLAlchemy row objects)."""
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = (tuple(compiled.params[name] for name in compiled.positiontup) if compiled.positional
              else compiled.params)
    with warnings.catch_warnings():
        # pandas names only sqlite3 among drivers it accepts; psycopg's cursor works the same way.
        warnings.filterwarnings("ignore", "pandas only supports SQLAlchemy", UserWarning)
        return pd.read_sql(str(compiled), connection.connection.driver_connection, params=params)


def _renamed(reports: pd.DataFrame, prefix: str) -> pd.DataFrame:
    columns = ["id", "state", "on_time", "received_at", "version", "missing", "invalid", "signature"]
    frame = reports[["period_id", "unit_code", *columns]].rename(columns={"unit_code": "code"})
    return frame.rename(columns={name: prefix + name for name in columns})


def _pivot_figures(figures: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Figures in long form (submission, key, JSON text) as one column per key, values decoded.

    Each distinct JSON text is decoded once; the pivot moves integer codes, not Python objects.
    """
    rows, submission_ids = pd.factorize(figures["submission_id"])
    columns = pd.Index(keys).get_indexer(figures["key"])
    codes, texts = pd.factorize(figures["value"], use_na_sentinel=True)
    decoded = np.empty(len(texts) + 1, dtype=object)  # the last entry (code -1): no figure
    for index, text in enumerate(texts):
        decoded[index] = _loads(text)
    known = columns >= 0  # a figure whose key left the config is not shown
    grid = np.full((len(submission_ids), len(keys)), -1, dtype=np.intp)
    grid[rows[known], columns[known]] = codes[known]
    return pd.DataFrame({key: decoded[grid[:, index]] for index, key in enumerate(keys)},
                        index=pd.Index(submission_ids, dtype="float64", name="id"), columns=keys)


def map_distinct(values: pd.Series, function: Callable[[object], object], empty: object = None) -> pd.Series:
    """``values.map(function)`` calling it once per distinct value (figures repeat a lot); NA → ``empty``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    for index, value in enumerate(uniques):  # one by one: numpy would read a list of lists as 2-D
        mapped[index] = function(value)
    mapped[-1] = empty
    return pd.Series(mapped[codes], index=values.index, dtype=object)


_LITERALS = {"true": True, "false": False, "null": None}


def _loads(text) -> object:
    """A JSON text decoded; whole numbers and true/false (most figures) without the JSON parser."""
    if not isinstance(text, str):  # a driver may hand JSON back already decoded
        return text
    if text.isdigit():  # isdigit also takes "²" and other digits int() refuses: those go to json
        try:
            return int(text)
        except ValueError:
            pass
    return _LITERALS[text] if text in _LITERALS else json.loads(text)
