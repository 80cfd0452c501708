""""Tình hình [programme] [period]": the current digest, made now and sent to the staff member
who asked — of one programme (its id or words of its title) or one period (its id) if named."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from mailer.incoming import Attachment
from parsers.labels import normalize
from robot.config import Config
from robot.periods import Period, period_by_id
from robot.staff.answers import Answer
from robot.staff.excusals import Refused

# Words said around a programme's name that name none ("tình hình báo cáo chương trình …").
_FILLER = frozenset({"bao", "cao", "chuong", "trinh", "cua", "ve", "ky"})


def narrowing(config: Config, words: tuple[str, ...], now: dt.datetime) -> tuple[Config | None, Period | None]:
    """The programme and the period the words name ((None, None): the whole digest).

    A period id (annual-2026, monthly-2026-11) names its programme too; the other words name one
    programme: its id, or words all found in its title ("ma túy"). A period id two programmes
    share needs the programme beside it. Anything else is refused, saying what may be named.
    """
    if not words:
        return None, None
    holding = [[p for p in (period_by_id(view, word.lower()) for view in config.programme_views) if p]
               for word in words]
    at = next((index for index, periods in enumerate(holding) if periods), None)
    rest = [word for index, word in enumerate(words) if index != at and normalize(word) not in _FILLER]
    view = _programme_named(config, rest) if rest else None
    if rest and view is None:
        raise Refused(_unknown(config, words, now))
    if at is None:
        return view, None
    periods = [p for p in holding[at] if view is None or p.programme == view.programme_id]
    if not periods:
        raise Refused(_unknown(config, words, now))
    if len(periods) > 1:
        raise Refused(f"Kỳ báo cáo “{words[at]}” có ở nhiều chương trình báo cáo: ghi thêm mã chương trình "
                      f"({', '.join(p.programme for p in periods)}).")
    return config.programme(periods[0].programme), periods[0]


def situation_answer(config: Config, engine: Engine, now: dt.datetime, words: tuple[str, ...], args: dict) -> Answer:
    """The digest as the weekly mail has it — text, HTML with its charts, workbook and Word drafts —
    of the programme and period the words name, recorded in ``args``."""
    from robot.digest.build import make_digest

    view, period = narrowing(config, words, now)
    args.update(programme=view.programme_id if view else None, period=period.id if period else None)
    digest = make_digest(config, engine, now, [view] if view is not None else None, period)
    return Answer(
        subject=digest.subject, text=digest.text, html=digest.html_mail, inline_images=digest.inline_images,
        attachments=[Attachment(filename=name, content_type=kind, data=data)
                     for name, (kind, data) in digest.documents.items()],
    )


def _programme_named(config: Config, words: list[str]) -> Config | None:
    """The one programme whose id is the words, or whose title holds every word (unaccented)."""
    by_id = config.programme(" ".join(words).lower())
    if by_id is not None:
        return by_id
    wanted = set(normalize(" ".join(words)).split())
    matches = [view for view in config.programme_views
               if wanted <= set(normalize(view.organisation.programme).split())]
    return matches[0] if len(matches) == 1 else None


def _unknown(config: Config, words: tuple[str, ...], now: dt.datetime) -> str:
    if not config.has_programmes:
        return f"Không có kỳ báo cáo “{' '.join(words)}” (ghi mã kỳ, ví dụ annual-{now.year})."
    names = "; ".join(f"{view.programme_id} — {view.programme_title}" for view in config.programme_views)
    return (f"Không tìm thấy một kỳ báo cáo hay một chương trình báo cáo “{' '.join(words)}” (ghi mã kỳ, "
            f"ví dụ annual-{now.year}, và/hoặc mã hay tên chương trình: {names}).")
