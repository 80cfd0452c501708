""""Tình hình": the current digest, made now and sent to the staff member who asked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from mailer.incoming import Attachment
from robot.config import Config
from robot.staff.answers import Answer


def situation_answer(config: Config, engine: Engine, now: dt.datetime) -> Answer:
    """The digest as the weekly mail has it: text, HTML with its charts, workbook and Word drafts."""
    from robot.digest.build import make_digest

    digest = make_digest(config, engine, now)
    return Answer(
        subject=digest.subject, text=digest.text, html=digest.html_mail, inline_images=digest.inline_images,
        attachments=[Attachment(filename=name, content_type=kind, data=data)
                     for name, (kind, data) in digest.documents.items()],
    )
