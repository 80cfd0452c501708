"""What the robot does with a message, decided in one pure function from the facts about it.

The intake gathers the facts (screening, sender, thread, what the documents read as); ``decide``
returns the outcome to record, whether to file the report, whether to keep other units' documents,
which reply to send (or none) and why. Nothing here touches the store, the mailbox or the text of
replies, so the whole policy reads — and is tested — as a table.

The policy, as a careful clerk would apply it:
- mail from the robot itself and delivery reports are recorded, never filed, never answered;
- a command from a staff address that a trusted server authenticated is the staff's to run;
- a report that fits two programmes equally is left for staff, never guessed or answered;
- a mail is for the robot when it replies in one of the robot's threads, names the report
  (keywords), or carries a document that reads as the report; anything else is left for people;
- a registered unit's report is filed even when the mail carries list or automatic headers,
  but such mail is never answered (RFC 3834);
- a reply to the robot without a new report is listed for staff, not answered;
- an unregistered sender is answered only about the report, never when spam-flagged, and as
  ``replies.unknown_sender`` allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

UnknownSenderPolicy = Literal["authenticated", "relevant", "never"]


@dataclass(frozen=True)
class Facts:
    """What the intake found out about a message before deciding."""

    screening_kind: str | None = None  # mailer.screening kind; None: a person wrote it
    screening_reason: str = ""
    fileable: bool = True  # False for the robot's own mail and delivery reports
    duplicate_of: int | None = None  # id of the earlier record of the same mail
    registered: bool = False  # the From address is a registered unit's
    authentication_failed: bool = False  # a trusted server says the From was forged
    domain_authenticated: bool = False  # a trusted server says the From domain passed
    in_robot_thread: bool = False  # In-Reply-To/References name a mail the robot sent
    names_report: bool = False  # subject, own text, file names or titles name the report
    own_report: bool = False  # a document reads as the report (for a registered sender: its unit's)
    own_report_complete: bool = False
    foreign_reports: bool = False  # documents that are reports of other registered units
    files: int = 0  # files the sender attached (not inline pictures or signatures)
    unreadable_files: int = 0  # of those, files that could not be read
    answered_today: bool = False  # the unregistered sender already got its reply today
    unknown_sender_policy: UnknownSenderPolicy = "relevant"
    staff_command: bool = False  # From is a staff address, authenticated by a trusted server, not screened
    ambiguous_programmes: tuple[str, ...] = ()  # the report fits these programmes equally well


Filing = Literal["report", "unverified"]


@dataclass(frozen=True)
class Decision:
    outcome: str  # the message's recorded outcome
    reply: str | None = None  # X-Report-Robot kind of the answer, None for no answer
    file: Filing | None = None  # file the sender's report: as the unit's, or kept unverified
    keep_foreign: bool = False  # keep other units' documents as unverified for them
    reasons: tuple[str, ...] = ()


def decide(facts: Facts) -> Decision:
    """The one place that decides what a message is and what its sender is told."""
    if facts.screening_kind is not None and not facts.fileable:
        return Decision(facts.screening_kind, reasons=(facts.screening_reason,))
    if facts.duplicate_of is not None:  # before staff commands: a second copy runs nothing twice
        return Decision("duplicate", reasons=(f"same message as #{facts.duplicate_of}",))
    if facts.staff_command:
        return Decision("staff-command", reasons=("authenticated staff command",))
    if facts.ambiguous_programmes:  # never guessed: a wrong programme would misfile and mis-answer
        return Decision("ambiguous", reasons=(f"fits programmes {', '.join(facts.ambiguous_programmes)} "
                                              "equally; left for staff",))
    quiet = facts.screening_kind is not None
    reasons = (f"not answered: {facts.screening_reason}",) if quiet else ()
    if not facts.registered:
        return _unregistered(facts, quiet, reasons)
    if facts.authentication_failed:
        return Decision("unverified", file="unverified" if facts.own_report else None,
                        keep_foreign=facts.foreign_reports,
                        reasons=("kept for staff, not answered",))
    if facts.own_report:
        outcome = "accepted" if facts.own_report_complete else "incomplete"
        reply = None if quiet else ("ack" if facts.own_report_complete else "incomplete")
        return Decision(outcome, reply, file="report", keep_foreign=facts.foreign_reports,
                        reasons=reasons)
    return _registered_without_report(facts, quiet, reasons)


def _registered_without_report(facts: Facts, quiet: bool, reasons: tuple[str, ...]) -> Decision:
    if quiet:
        return Decision(facts.screening_kind or "not-for-robot", keep_foreign=facts.foreign_reports,
                        reasons=reasons)
    if facts.foreign_reports:
        return Decision("unreadable", "unreadable", keep_foreign=True)
    if facts.in_robot_thread:
        if facts.unreadable_files:  # a corrected report the robot could not read
            return Decision("unreadable", "unreadable")
        return Decision("reply-to-robot",
                        reasons=("a reply to the robot without a new report; left for staff",))
    if facts.names_report:
        return Decision("unreadable", "unreadable") if facts.files else Decision("no_attachment", "no-attachment")
    return Decision("not-for-robot", reasons=("not about the report; left for staff",))


def _unregistered(facts: Facts, quiet: bool, reasons: tuple[str, ...]) -> Decision:
    relevant = facts.in_robot_thread or facts.names_report or facts.own_report or facts.foreign_reports
    if not relevant:
        return Decision(facts.screening_kind or "not-for-robot",
                        reasons=reasons or ("unregistered sender, not about the report",))
    outcome = "unknown_sender"
    keep = facts.foreign_reports
    if quiet:  # spam, a platform, a calendar: what it is, not a stranger waiting for an answer
        return Decision(facts.screening_kind or outcome, keep_foreign=keep, reasons=reasons)
    policy = facts.unknown_sender_policy
    if policy == "never":
        return Decision(outcome, keep_foreign=keep, reasons=("replies.unknown_sender is never",))
    if policy == "authenticated" and not facts.domain_authenticated:
        return Decision(outcome, keep_foreign=keep,
                        reasons=("sender domain not authenticated by a trusted server; not answered",))
    if facts.answered_today:
        return Decision(outcome, keep_foreign=keep,
                        reasons=("unknown-sender reply already sent to this address today",))
    return Decision(outcome, "unknown-sender", keep_foreign=keep, reasons=reasons)
