"""`robot accept`: staff accept an unverified report as the unit's own, on the record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from robot.errors import RobotError
from store import queries
from store.db import session as open_session
from store.db import to_db_time
from store.tables import Message, Submission, SubmissionValue


@dataclass(frozen=True)
class Accepted:
    unit_code: str
    programme: str
    period_id: str
    version: int
    state: str


def accept(engine: Engine, mailbox: str, message_id: str, by: str, now: dt.datetime,
           programme: str | None = None) -> list[Accepted]:
    """`robot accept`: ``accept_message`` in a transaction of its own."""
    with open_session(engine) as session:
        done = accept_message(session, mailbox, message_id, by, now, programme)
        session.commit()
    return done


def accept_message(session: Session, mailbox: str, message_id: str, by: str, now: dt.datetime,
                   programme: str | None = None) -> list[Accepted]:
    """File every unverified report of the mailbox's mail with this Message-ID as a new version
    (only those of ``programme`` when given), in the caller's transaction.

    The unverified row stays as it was (history); a copy becomes the unit's current report,
    marked with who accepted it and when.
    """
    wanted = message_id.strip()
    wanted = wanted if wanted.startswith("<") else f"<{wanted}>"
    done: list[Accepted] = []
    messages = session.exec(select(Message).where(Message.message_id == wanted, Message.mailbox == mailbox)).all()
    if not messages:
        raise RobotError(f"no message with Message-ID {wanted}")
    pending = session.exec(select(Submission).where(
        Submission.message_pk.in_([m.id for m in messages]),  # type: ignore[union-attr]
        Submission.state == "unverified",
    )).all()
    if not pending:
        raise RobotError(f"message {wanted} holds no unverified report")
    if programme is not None:
        pending = [item for item in pending if item.programme == programme]
        if not pending:
            raise RobotError(f"thư {wanted} không có báo cáo chưa xác thực nào của chương trình {programme}")
    for original in pending:
        state = "complete" if not original.missing and not original.invalid else "incomplete"
        version = queries.next_version(session, original.mailbox, original.unit_code, original.programme,
                                       original.period_id)
        queries.supersede(session, original.mailbox, original.unit_code, original.programme, original.period_id)
        copy = Submission(
            **original.model_dump(exclude={"id", "version", "state", "is_current",
                                           "accepted_by", "accepted_at"}),
            version=version, state=state, is_current=True,
            accepted_by=by, accepted_at=to_db_time(now),
        )
        session.add(copy)
        session.flush()
        for value in queries.values_of(session, [original.id])[original.id]:
            session.add(SubmissionValue(**value.model_dump(exclude={"id", "submission_id"}),
                                        submission_id=copy.id))
        done.append(Accepted(copy.unit_code, copy.programme, copy.period_id, version, state))
    return done
