"""Which report programme a mail and its documents are about (DESIGN §4 ``programmes[]``).

One mailbox receives every programme's reports. The evidence, strongest first: the programme
code the robot wrote into its template ("report-robot:<id>"), a programme's keywords in the
documents' titles, in the subject, body or file names, and the share of each programme's
indicators a document holds. A document that fits two programmes equally is never guessed: it
is left for staff. With one programme configured nothing is weighed and each file is read once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from parsers.report import ParsedReport
from parsers.template_text import TEMPLATE_MARKER
from robot.config import Config
from robot.relevance import figures_held, keyword_pattern, names_report

# Two programmes whose shares of indicators found differ by less than this fit "equally".
SAME_FIT = 0.1

Reading = tuple[list[ParsedReport], list[tuple[str, str]]]  # documents read, files not read (name, reason)


@dataclass(frozen=True)
class Routed:
    """The programme chosen (its config view), the mail's documents read with its indicators,
    and the programmes a document fits equally well when none could be chosen."""

    programme: Config
    documents: list[ParsedReport]
    unreadable: list[tuple[str, str]]
    ambiguous: tuple[str, ...] = ()


def route(config: Config, texts: Sequence[str | None], unit_type: str | None,
          read: Callable[[Config], Reading]) -> Routed:
    """Choose the programme; ``read`` reads the mail's files with one programme's indicators
    (it is called once per programme weighed, never twice for the same one)."""
    views = config.programme_views
    readings: dict[str, Reading] = {}

    def reading(view: Config) -> Reading:
        if view.programme_id not in readings:
            readings[view.programme_id] = read(view)
        return readings[view.programme_id]

    def chosen(view: Config, ambiguous: tuple[str, ...] = ()) -> Routed:
        documents, unreadable = reading(view)
        return Routed(view, documents, unreadable, ambiguous)

    if len(views) == 1:
        return chosen(views[0])
    named = [view for view in views if names_report(keyword_pattern(view.keywords), texts)]
    first = named[0] if len(named) == 1 else views[0]
    documents, _ = reading(first)
    coded = _by_template_code(views, documents)
    if coded is not None:
        return chosen(coded)
    titles = [document.title for document in documents if document.title]
    titled = [view for view in views if names_report(keyword_pattern(view.keywords), titles)]
    if len(titled) == 1:
        return chosen(titled[0])
    if len(named) == 1 and not titled:
        return chosen(named[0])
    candidates = titled or named or list(views)
    shares = {view.programme_id: _share(view, reading(view)[0], unit_type) for view in candidates}
    best = max(shares.values())
    if best == 0:
        return chosen(first)
    top = [view for view in candidates if best - shares[view.programme_id] < SAME_FIT]
    if len(top) > 1:
        return chosen(top[0], tuple(view.programme_id for view in top))
    return chosen(top[0])


def _by_template_code(views: Sequence[Config], documents: list[ParsedReport]) -> Config | None:
    codes = {document.template_code.removeprefix(TEMPLATE_MARKER) for document in documents
             if document.template_code}
    return next((view for view in views if view.programme_id in codes), None)


def _share(view: Config, documents: list[ParsedReport], unit_type: str | None) -> float:
    """The largest share of the programme's indicators (for the unit's type) one document holds."""
    keys = {spec.key for spec in view.schema().for_unit_type(unit_type)}
    if not keys:
        return 0.0
    return max((figures_held(document, keys) for document in documents), default=0) / len(keys)
