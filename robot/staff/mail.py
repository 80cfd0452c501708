"""Running a staff command that came by mail, inside the intake's transaction.

Called only for a mail the intake believed: From a staff address, authenticated by a trusted
server, not screened. Every command is audited (read-only ones too) and answered, threaded
under the staff mail, with ``X-Report-Robot: staff``. A command that cannot be done — unknown,
malformed, or a change asked by a viewer — is answered with the help text and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session

from mailer.incoming import IncomingMail
from robot.config import Config, StaffMember
from robot.outbox import Thread, enqueue
from robot.staff import answers
from robot.staff.answers import Answer
from robot.staff.commands import CHANGES, UNDOABLE, Command, parse_command
from robot.staff.corrections import correct, split_changes, undo_version
from robot.staff.excusals import Refused, excuse, undo
from robot.staff.accepting import accept_by_mail
from robot.staff.filing_for import FiledFor, file_for
from robot.staff.lookup import find_period, find_unit, required_unit
from robot.staff.reminding import remind_command
from robot.staff.situation import situation_answer
from store import staff as store
from store.db import to_db_time

_NUMBER = re.compile(r"^#?(\d+)$")
_COMMAND_NAMES = {"excuse": "Miễn", "undo": "Hoàn tác", "correct": "Sửa", "file-for": "Nộp thay",
                  "accept": "Chấp nhận", "remind": "Nhắc"}


def run_command(config: Config, session: Session, member: StaffMember, sender: str, subject: str,
                thread: Thread, message_pk: int | None, now: dt.datetime, filed: FiledFor | None = None,
                mail: IncomingMail | None = None, ambiguous: tuple[str, ...] = ()) -> str:
    """Do what the subject asks, audit it and queue the answer; a line for the log. ``filed`` is
    the unit's report the intake read from the mail's files for "Nộp thay <unit>"; ``ambiguous``
    the programmes those files fit equally (then nothing is filed until staff say which)."""
    command = parse_command(subject)
    # Recorded first: its id is the number a change is undone by ("Hoàn tác <id>").
    action = store.record_action(session, config.mailbox.address, sender, command.action, {}, now, message_pk)
    args: dict = {}
    try:
        if command.action in CHANGES and not member.may_change:
            raise Refused(f"Lệnh “{_COMMAND_NAMES[command.action]}” chỉ dành cho cán bộ có quyền sửa đổi "
                          "(editor).")
        if command.action == "help" and command.problem:
            raise Refused(command.problem)
        with session.begin_nested():  # a refusal half-way leaves nothing of the change behind
            answer = _answer(config, session, member, command, args, action.id, message_pk, now, filed, mail,
                             ambiguous)
    except Refused as refused:
        args["refused"] = str(refused)
        answer = answers.help_answer(config, member, now, problem=str(refused))
    action.args = {"subject": subject[:300], **args}
    session.add(action)
    enqueue(session, config, kind="staff", to=[sender], subject=answer.subject, text=answer.text,
            html=answer.html, inline_images=answer.inline_images, attachments=answer.attachments,
            now=now, thread=thread, message_pk=message_pk)
    return f"staff {command.action} by {member.name}" + (f" refused: {args['refused']}" if "refused" in args else "")


def _answer(config: Config, session: Session, member: StaffMember, command: Command, args: dict,
            action_id: int, message_pk: int | None, now: dt.datetime, filed: FiledFor | None,
            mail: IncomingMail | None, ambiguous: tuple[str, ...]) -> Answer:
    words = command.words
    if command.action == "help":
        return answers.help_answer(config, member, now)
    if command.action == "situation":
        return situation_answer(config, session.get_bind(), now, words, args)
    if command.action == "unit":
        unit = required_unit(config, " ".join(words))
        args["unit"] = unit.code
        return answers.unit_answer(config, session, member, unit)
    if command.action == "excuse":
        return _excuse(config, session, member, words, args, action_id, message_pk, now)
    if command.action == "accept":
        assert mail is not None, "a mail command has its mail"
        return _accept(config, session, member, words, mail, args, action_id, now)
    if command.action == "file-for":
        if ambiguous:
            raise Refused(_which_programme(config, ambiguous))
        return _file_for(config, session, member, words, filed, args, action_id, message_pk, now)
    if command.action == "remind":
        return remind_command(config, session, member, words, args, action_id, now)
    if command.action == "correct":
        return _correct(config, session, member, tuple(command.rest.split()), args, action_id, now)
    return _undo(config, session, member, words, args, now)


def _excuse(config: Config, session: Session, member: StaffMember, words: tuple[str, ...], args: dict,
            action_id: int, message_pk: int | None, now: dt.datetime) -> Answer:
    found = find_period(config, words)
    if found is None:
        raise Refused("Lệnh “Miễn” cần mã kỳ báo cáo sau tên đơn vị, ví dụ: "
                      f"Miễn {config.units[0].code} annual-{now.year} <lý do>.")
    index, period = found
    unit = required_unit(config, " ".join(words[:index]))
    row, new = excuse(config, session, unit, period, " ".join(words[index + 1:]), member.name, now, message_pk)
    args.update(id=row.id, unit=unit.code, programme=period.programme, period=period.id, reason=row.reason, new=new)
    return answers.excused_answer(config, member, unit, period, row, new, action_id)


def _correct(config: Config, session: Session, member: StaffMember, words: tuple[str, ...], args: dict,
             action_id: int, now: dt.datetime) -> Answer:
    pairs, named, reason = split_changes(words)
    if not pairs:
        raise Refused("Lệnh “Sửa” cần mã đơn vị rồi các cặp <mã chỉ tiêu>=<giá trị>, ví dụ: "
                      f"Sửa {config.units[0].code} 05=755 nhập nhầm số học sinh.")
    found = find_period(config, named)
    unit = required_unit(config, " ".join(named[:found[0]] if found else named))
    done = correct(config, session, unit, found[1] if found else None, pairs, " ".join(reason), action_id, now)
    args.update(unit=unit.code, programme=done.period.programme, period=done.period.id,
                submission=done.submission.id, version=done.submission.version, reason=" ".join(reason),
                changes={code: [before, after] for code, _, before, after in done.changes})
    return answers.corrected_answer(config, member, done, " ".join(reason), action_id)


def _accept(config: Config, session: Session, member: StaffMember, words: tuple[str, ...], mail: IncomingMail,
            args: dict, action_id: int, now: dt.datetime) -> Answer:
    message, done = accept_by_mail(session, config.mailbox.address, words, mail, member.name, now)
    copies = store.accepted_copies(session, message.id)
    args.update(message=message.id, message_id=message.message_id, submissions=[c.id for c in copies],
                unit=", ".join(item.unit_code for item in done), period=done[0].period_id,
                programme=done[0].programme)
    return answers.accepted_answer(config, member, message, done, action_id)


def _file_for(config: Config, session: Session, member: StaffMember, words: tuple[str, ...],
              filed: FiledFor | None, args: dict, action_id: int, message_pk: int | None, now: dt.datetime) -> Answer:
    if filed is None or message_pk is None:
        unit = find_unit(config, " ".join(words))
        if unit is None:
            raise Refused(f"Không tìm thấy đơn vị “{' '.join(words)}” (ghi mã đơn vị hoặc tên đơn vị sau "
                          "“Nộp thay”).")
        raise Refused(f"Thư “Nộp thay” không có tệp báo cáo của {unit.name} đọc được: đính kèm tệp báo cáo "
                      "(Word, Excel, PDF hoặc ảnh chụp) hoặc chuyển tiếp thư của đơn vị kèm tệp.")
    submission = file_for(session, filed, member.name, action_id, message_pk, now)
    args.update(unit=filed.unit.code, programme=filed.period.programme, period=filed.period.id,
                submission=submission.id, version=submission.version, state=submission.state,
                filename=filed.report.filename)
    return answers.filed_for_answer(config, member, filed, submission, action_id)


def _which_programme(config: Config, ambiguous: tuple[str, ...]) -> str:
    """Why a file fitting several programmes is not filed, and how to say which one."""
    words = " hoặc ".join(f"“{view.keywords[0]}”" for view in map(config.programme, ambiguous)
                          if view is not None and view.keywords)
    return ("Tệp gửi kèm hợp với nhiều chương trình báo cáo (" + ", ".join(ambiguous) + "): ghi vào tiêu đề "
            "một từ khóa của chương trình cần nộp" + (f", ví dụ {words}." if words else "."))


def _undo(config: Config, session: Session, member: StaffMember, words: tuple[str, ...], args: dict,
          now: dt.datetime) -> Answer:
    number = next((int(m.group(1)) for m in map(_NUMBER.match, words) if m), None)
    if number is None:
        raise Refused("Lệnh “Hoàn tác” cần số ghi trong thư xác nhận, ví dụ: Hoàn tác 12.")
    change = store.change_action(session, config.mailbox.address, number)
    if change is None or change.action not in UNDOABLE or "refused" in change.args:
        raise Refused(f"Không có thay đổi số {number}.")
    if change.action == "excuse" and change.args.get("new") is False:
        raise Refused(f"Thay đổi số {number} không thay đổi gì (đơn vị đã được miễn từ trước).")
    if change.undone_at is not None:
        raise Refused(f"Thay đổi số {number} đã được hoàn tác trước đó.")
    args.update(change=number, action=change.action, unit=change.args["unit"], period=change.args["period"])
    if change.action == "excuse":
        undo(config, session, change.args["id"], now)
    else:
        for submission_id in change.args.get("submissions") or [change.args["submission"]]:
            undo_version(session, config.mailbox.address, submission_id)
    change.undone_at = to_db_time(now)
    session.add(change)
    unit = config.unit_by_code(change.args["unit"])
    return answers.undone_answer(config, member, unit.name if unit else change.args["unit"], number, change)
