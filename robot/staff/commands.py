"""A staff command read from a mail subject: Vietnamese first, unaccented and any case accepted.

Pure text work: which command, and its words as the staff member wrote them (with diacritics,
for reasons and unit names). What the words name is looked up later, against the config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.labels import fold

# Command words as folded tokens (DESIGN §4), and the action each one is.
WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("huong", "dan"), "help"),
    (("tinh", "hinh"), "situation"),
    (("don", "vi"), "unit"),
    (("mien",), "excuse"),
    (("sua",), "correct"),
    (("nop", "thay"), "file-for"),
    (("chap", "nhan"), "accept"),
    (("nhac",), "remind"),
    (("hoan", "tac"), "undo"),
)
CHANGES = frozenset({"excuse", "correct", "file-for", "accept", "remind", "undo"})  # actions only an editor may take
UNDOABLE = frozenset({"excuse", "correct", "file-for", "accept"})  # changes "Hoàn tác <action id>" takes back
_PUNCTUATION = re.compile(r"^[^\w#]+|[^\w#-]+$")


@dataclass(frozen=True)
class Command:
    """What a subject asks: ``action`` (help, situation, unit, excuse, correct, undo) and the words after it."""

    action: str
    words: tuple[str, ...] = ()  # the rest of the subject, as written, in words without punctuation
    rest: str = ""  # the rest of the subject exactly as written ("05=755", "05: 755")
    problem: str = ""  # why the subject was not understood as a command (said above the help)
    args: dict = field(default_factory=dict)


def parse_command(subject: str) -> Command:
    """The first command word of the subject (reply prefixes and polite words before it tolerated)."""
    tokens = subject.split()
    folded = [_PUNCTUATION.sub("", fold(token)) for token in tokens]
    best: tuple[int, int, str] | None = None
    for words, action in WORDS:
        for start in range(len(folded) - len(words) + 1):
            if tuple(folded[start:start + len(words)]) == words:
                if best is None or start < best[0]:
                    best = (start, len(words), action)
                break
    if best is None:
        return Command("help", problem=f"Không nhận ra lệnh trong tiêu đề thư: “{subject.strip()}”."
                       if subject.strip() else "")
    start, length, action = best
    words = tuple(_PUNCTUATION.sub("", token) for token in tokens[start + length:])
    return Command(action, tuple(word for word in words if word), " ".join(tokens[start + length:]))
