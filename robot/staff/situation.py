""""Tình hình": the current digest, made now and sent to the staff member who asked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from mailer.incoming import Attachment
from robot.config import Config
from robot.staff.answers import Answer


def situation_answer(config: Config, engine: Engine, now: dt.datetime) -> Answer:
    """The digest as the weekly mail has it: text, HTML with its charts, workbook and Word drafts."""
    # The digest's own mail parts; robot.digest.build keeps how they are named to itself.
    from robot.digest.build import _chart_name, _cid, make_digest

    digest = make_digest(config, engine, now)
    return Answer(
        subject=digest.subject, text=digest.text, html=digest.html_mail,
        inline_images=[(_cid(f), digest.charts[_chart_name(f)]) for f in digest.periods
                       if _chart_name(f) in digest.charts],
        attachments=[Attachment(filename=name, content_type=kind, data=data)
                     for name, (kind, data) in digest.documents.items()],
    )
