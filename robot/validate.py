"""Check a parsed report against the indicator set for the sender's unit type."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.report import ParsedReport
from parsers.schema import FieldSpec
from robot.config import Config
from robot.wording import UNCERTAIN_ON_SCAN, rule_breach, unreadable_value


@dataclass(frozen=True)
class Problem:
    """Why one or more fields cannot be accepted as read."""

    keys: tuple[str, ...]
    reason: str  # Vietnamese, shown to the sender


@dataclass
class Validation:
    fields: tuple[FieldSpec, ...]
    missing: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid


def validate(config: Config, report: ParsedReport, unit_type: str) -> Validation:
    """Missing required fields, values that could not be read, and broken consistency rules."""
    fields = config.schema().for_unit_type(unit_type)
    result = Validation(fields=fields)
    for spec in fields:
        found = report.values.get(spec.key)
        if found is None and spec.key in report.uncertain:  # on a scan, but not read for certain
            result.invalid.append(spec.key)
            result.problems.append(Problem((spec.key,), UNCERTAIN_ON_SCAN))
        elif found is None:
            if spec.required:
                result.missing.append(spec.key)
        elif found.value is None:
            result.invalid.append(spec.key)
            result.problems.append(Problem((spec.key,), unreadable_value(found.raw, found.error)))
    applicable = {spec.key: spec for spec in fields}
    for rule in config.rules:
        if rule.left not in applicable or rule.right not in applicable:
            continue
        left, right = report.values.get(rule.left), report.values.get(rule.right)
        if left is None or right is None or left.value is None or right.value is None:
            continue
        broken = left.value > right.value if rule.op == "<=" else left.value < right.value
        if broken:
            reason = rule_breach(applicable[rule.left].code, left.value, rule.op,
                                 applicable[rule.right].code, right.value)
            result.problems.append(Problem((rule.left, rule.right), reason))
            for key in (rule.left, rule.right):
                if key not in result.invalid:
                    result.invalid.append(key)
    return result
