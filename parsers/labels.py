"""Vietnamese label matching: how a row's label text is tied to one indicator of the schema."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from parsers.schema import FieldSpec

# Leading list markers: "1.", "1)", "(1)", "a)", "đ)", "I.", "IV)", "1.2.", "1.2", "-", "+", "•".
# Applied after diacritics are stripped, so "đ)" arrives as "d)".
_NUMBERING = re.compile(
    r"^\s*(?:[-+*•·–—>]+|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxl]{1,6})\s*[.):]|\d{1,3}(?:\.\d{1,3})+)\s*"
)
_NON_WORD = re.compile(r"[\W_]+")
_PARENTHESISED = re.compile(r"\([^()]*\)")

# Abbreviations people use when they retype labels ("HS, SV", "CB-GV-NV", "PCMD").
ABBREVIATIONS: dict[str, str] = {
    "hs": "hoc sinh",
    "sv": "sinh vien",
    "hssv": "hoc sinh sinh vien",
    "cb": "can bo",
    "gv": "giao vien",
    "nv": "nhan vien",
    "cbgv": "can bo giao vien",
    "cbgvnv": "can bo giao vien nhan vien",
    "cc": "cong chuc",
    "vc": "vien chuc",
    "ccvc": "cong chuc vien chuc",
    "cbcc": "can bo cong chuc",
    "cbccvc": "can bo cong chuc vien chuc",
    "pc": "phong chong",
    "pcmd": "phong chong mai dam",
    "md": "mai dam",
    "mbn": "mua ban nguoi",
    "asxh": "an sinh xa hoi",
    "bcd": "ban chi dao",
    "gd": "giao duc",
    "gddt": "giao duc dao tao",
    "dt": "dao tao",
    "sl": "so luong",
    "kh": "ke hoach",
    "antt": "an ninh trat tu",
}

# Column headings and other words that name no indicator, however close they look.
GENERIC_LABELS = frozenset(
    {
        "chi tieu",
        "ten chi tieu",
        "noi dung",
        "noi dung chi tieu",
        "noi dung bao cao",
        "tieu chi",
        "danh muc",
        "hang muc",
        "stt",
        "tt",
        "so tt",
        "so thu tu",
        "ma so",
        "ma",
        "so lieu",
        "gia tri",
        "ket qua",
        "so luong",
        "ghi chu",
        "don vi tinh",
        "dvt",
        "bao cao",
        "tong cong",
        "tong so",
        "cong",
        "co khong",
        "co",
        "khong",
    }
)

_MIN_SCORE = 0.55  # below this a label is not recognised at all
_MIN_LEAD = 0.08  # the best field must beat the runner-up by this much
_FUZZY_TOKEN = 0.8  # difflib ratio at which a retyped syllable counts as the same
_PRECISION_SHARE = 0.7  # weight of precision against recall in a match score
_MIN_WORDS = 2  # words of a label that a field name must explain, unless the label is the name


def fold(text: str) -> str:
    """Lower case without diacritics (đ→d), punctuation kept: Vietnamese as typed without marks."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()


def normalize(text: str) -> str:
    """Fold a label for comparison: no diacritics (đ→d), lower case, no numbering or punctuation."""
    folded = fold(text)
    previous = None
    while previous != folded:
        previous, folded = folded, _NUMBERING.sub("", folded, count=1)
    return " ".join(_NON_WORD.sub(" ", folded).split())


def tokens(text: str) -> tuple[str, ...]:
    """Normalised words of a label, with known abbreviations spelt out."""
    words: list[str] = []
    for word in normalize(text).split():
        words.extend(ABBREVIATIONS.get(word, word).split())
    return tuple(words)


def _features(words: tuple[str, ...]) -> frozenset[str]:
    """Words plus adjacent pairs, so that word order ("số hình thức ...") counts too."""
    return frozenset(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}


def is_generic(text: str) -> bool:
    """Whether the text is a column heading or filler word rather than an indicator label."""
    return normalize(text) in GENERIC_LABELS


@dataclass(frozen=True)
class _Index:
    names: tuple[tuple[FieldSpec, frozenset[str], str], ...]  # field, its features, its words
    weights: dict[str, float]
    unknown_weight: float

    def weight(self, word: str) -> float:
        return self.weights.get(word, self.unknown_weight)

    def total(self, words: frozenset[str]) -> float:
        return sum(self.weights.get(word, self.unknown_weight) for word in words)


@lru_cache(maxsize=32)
def _index(fields: tuple[FieldSpec, ...]) -> _Index:
    names = []
    frequency: dict[str, int] = {}
    for spec in fields:
        field_tokens: set[str] = set()
        for name in (spec.label, *spec.aliases):
            for variant in (name, _PARENTHESISED.sub(" ", name)):
                words = tokens(variant)
                if words:
                    features = _features(words)
                    names.append((spec, features, " ".join(words)))
                    field_tokens.update(features)
        for word in field_tokens:
            frequency[word] = frequency.get(word, 0) + 1
    count = max(len(fields), 1)
    # Inverse document frequency: "so" (in every label) weighs little, "xu ly" a lot.
    weights = {word: math.log(1 + count / n) for word, n in frequency.items()}
    return _Index(tuple(names), weights, math.log(1 + count))


@lru_cache(maxsize=65536)
def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _near_words(words: frozenset[str], index: _Index) -> dict[str, dict[str, float]]:
    """For each label word, the schema words it could be a retyping of (long words only)."""
    near: dict[str, dict[str, float]] = {}
    for word in words:
        if len(word) < 4 or " " in word or word in index.weights or any(ch.isdigit() for ch in word):
            continue
        near[word] = {
            other: ratio
            for other in index.weights
            if " " not in other
            and abs(len(other) - len(word)) <= 2
            and (ratio := _ratio(word, other)) >= _FUZZY_TOKEN
        }
    return near


def _score(
    text_words: frozenset[str], name_words: frozenset[str], near: dict[str, dict[str, float]], index: _Index
) -> tuple[float, frozenset[str]]:
    """How well a label's words fit a field name, and which of the label's words it explains.

    Precision (the label's words that the name explains, weighted by rarity) counts most, so
    that a short retyped label still matches; recall (how much of the name is there) breaks ties.
    """
    explanation = {word: 1.0 for word in text_words & name_words}
    present = dict(explanation)
    for word, candidates in near.items():
        for other, ratio in candidates.items():
            if other in name_words:
                explanation[word] = max(explanation.get(word, 0.0), ratio)
                present[other] = max(present.get(other, 0.0), ratio)
    precision = sum(index.weight(w) * s for w, s in explanation.items()) / index.total(text_words)
    recall = sum(index.weight(n) * s for n, s in present.items()) / index.total(name_words)
    return _PRECISION_SHARE * precision + (1 - _PRECISION_SHARE) * recall, frozenset(explanation)


def match_field(label_text: str, fields: Sequence[FieldSpec]) -> FieldSpec | None:
    """The field a label names, or None when no field is a clear, unambiguous match."""
    return _match(label_text, tuple(fields))


@lru_cache(maxsize=4096)
def _match(label_text: str, fields: tuple[FieldSpec, ...]) -> FieldSpec | None:
    if is_generic(label_text) or is_generic(_PARENTHESISED.sub(" ", label_text)):
        return None
    index = _index(fields)
    best: dict[str, tuple[float, frozenset[str], FieldSpec]] = {}
    for variant in dict.fromkeys((label_text, _PARENTHESISED.sub(" ", label_text))):
        words = tokens(variant)
        if not words or all(w.isdigit() for w in words):
            continue
        joined, word_set = " ".join(words), _features(words)
        near = _near_words(word_set, index)
        known = sum(index.weight(w) for w in word_set if w in index.weights or near.get(w))
        if _PRECISION_SHARE * known / index.total(word_set) + (1 - _PRECISION_SHARE) < _MIN_SCORE:
            continue  # too few of the label's words occur in any field name
        for spec, name_words, name in index.names:
            score, matched = (1.0, word_set) if joined == name else _score(word_set, name_words, near, index)
            if score > best.get(spec.key, (0.0,))[0]:
                best[spec.key] = (score, matched, spec)
    ranked = sorted(best.values(), key=lambda entry: entry[0], reverse=True)
    if not ranked or ranked[0][0] < _MIN_SCORE:
        return None
    top_score, top_words, top_spec = ranked[0]
    # One shared word is no match: English "long", "the" or "to" fold to syllables of labels.
    if top_score < 1.0 and len({word for word in top_words if " " not in word}) < _MIN_WORDS:
        return None
    if top_score < 1.0 and len(ranked) > 1:
        runner_score, runner_words, _ = ranked[1]
        # "Số vụ vi phạm" fits both "... được phát hiện" and "... đã được xử lý": when the
        # runner-up explains every word the winner does, only name length separates them.
        if top_score - runner_score < _MIN_LEAD or top_words <= runner_words:
            return None
    return top_spec
