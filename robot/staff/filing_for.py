"""Filing a unit's report on a staff member's word ("Nộp thay <unit>", `robot file-for`).

A report that reached the department another way (on paper, through Zalo, from a colleague's
mailbox) is attached to — or forwarded in — a staff mail. It is read and validated as the
unit's own, filed as the unit's next version linked to the staff action (who and when), and the
unit gets the normal acknowledgement, saying the department filed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from parsers.report import ParsedReport
from robot.config import Config, Unit
from robot.outbox import enqueue
from robot.periods import Period
from robot.replies import acknowledgement, incomplete_notice
from robot.report_filing import filing_of
from robot.validate import Validation
from store.filing import file_report
from store.tables import Submission


@dataclass(frozen=True)
class FiledFor:
    """A report read from a staff mail as the unit's: its programme's config view, period and checks."""

    unit: Unit
    programme: Config
    period: Period
    report: ParsedReport
    check: Validation
    received_at: dt.datetime


def file_for(session: Session, filed: FiledFor, staff_name: str, action_id: int, message_pk: int,
             now: dt.datetime) -> Submission:
    """File the report as the unit's next version and queue the unit's acknowledgement."""
    view, unit, period, report, check = filed.programme, filed.unit, filed.period, filed.report, filed.check
    state = "complete" if check.complete else "incomplete"
    submission = file_report(session, view.mailbox.address, message_pk,
                             filing_of(unit, report, period, check, filed.received_at, state, action_id))
    remark = (f"Báo cáo này do cán bộ Sở ({staff_name}) nộp thay đơn vị, từ bản báo cáo đơn vị gửi Sở "
              "bằng đường khác (văn bản giấy, tin nhắn, thư gửi cán bộ).")
    if check.complete:
        reply = acknowledgement(view, unit, period, report, check, filed.received_at, submission.version, "",
                                remarks=[remark])
    else:
        reply = incomplete_notice(view, unit, period, report, check, filed.received_at, "", remarks=[remark])
    enqueue(session, view, kind=reply.kind, to=unit.emails[:1], subject=reply.subject, text=reply.text, now=now,
            fields=reply.fields, auto_submitted="auto-generated")
    return submission
