"""Checks of config.yaml that involve more than one key: duplicates, references, the time zone.

They work on the raw YAML so ``robot check`` reports them together with structure errors, not
after the admin has fixed those.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The programme of a config written in the first round's shape (top-level fields and reports):
# existing data and the templates already sent carry this id.
DEFAULT_PROGRAMME = "default"


def _items(data: dict, key: str) -> list[tuple[int, dict]]:
    """Entries of a list section that are mappings (malformed ones are pydantic's to report)."""
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def cross_check(data: dict) -> list[str]:
    """Problems that involve more than one key: duplicates, references, the time zone.

    Works on the raw YAML so these are reported together with structure errors, not after
    the admin has fixed those.
    """
    problems: list[str] = []
    timezone = data.get("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone: unknown time zone '{timezone}' (e.g. Asia/Ho_Chi_Minh)")

    unit_types = data.get("unit_types") if isinstance(data.get("unit_types"), dict) else {}
    own = str((data.get("mailbox") or {}).get("address", "")).strip().lower()
    seen_codes: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for i, unit in _items(data, "units"):
        where = f"units.{i}"
        code = unit.get("code")
        if code in seen_codes:
            problems.append(f"{where}.code: '{code}' is already used by units.{seen_codes[code]}")
        seen_codes.setdefault(code, i)
        if unit_types and unit.get("type") not in unit_types:
            known = ", ".join(unit_types)
            problems.append(f"{where}.type: unknown unit type '{unit.get('type')}' (known: {known})")
        emails = unit.get("emails") if isinstance(unit.get("emails"), list) else []
        for email in (str(e).strip().lower() for e in emails):
            if email == own:
                problems.append(f"{where}.emails: {email} is the robot's own mailbox")
            elif email in seen_emails:
                other = "this unit" if seen_emails[email] == i else f"units.{seen_emails[email]}"
                problems.append(f"{where}.emails: {email} is already registered for {other}")
            seen_emails.setdefault(email, i)
        start, end = unit.get("active_from"), unit.get("active_until")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            problems.append(f"{where}.active_until: is before active_from")

    problems += _programmes_problems(data, unit_types, set(seen_codes))
    problems += _staff_problems(data, own, seen_emails)
    if data.get("units") == []:
        problems.append("units: the list is empty")
    return problems


def _programmes_problems(data: dict, unit_types: dict, unit_codes: set) -> list[str]:
    """The top-level programme (the first round's shape) and each of ``programmes``."""
    problems: list[str] = []
    programmes = _items(data, "programmes")
    if not programmes or data.get("fields") or data.get("reports"):
        problems += _programme_problems(data, "", unit_types, targets_default=True)
        for section in ("reports", "fields"):
            if not data.get(section):
                problems.append(f"{section}: the list is empty" if data.get(section) == [] else
                                f"{section}: required key is missing (or give each programme its own under programmes)")
    seen = {DEFAULT_PROGRAMME} if data.get("fields") else set()
    for i, programme in programmes:
        where = f"programmes.{i}."
        if programme.get("id") in seen:
            taken = "the top-level programme" if programme.get("id") == DEFAULT_PROGRAMME else "another programme"
            problems.append(f"{where}id: '{programme.get('id')}' is already used by {taken}")
        seen.add(programme.get("id"))
        problems += _programme_problems(programme, where, unit_types, targets_default=False)
        for unit_type in programme.get("unit_types") or []:
            if unit_types and unit_type not in unit_types:
                problems.append(f"{where}unit_types: unknown unit type '{unit_type}'")
        for code in programme.get("units") or []:
            if code not in unit_codes:
                problems.append(f"{where}units: no unit with code '{code}'")
    return problems


def _programme_problems(data: dict, where: str, unit_types: dict, targets_default: bool) -> list[str]:
    """Fields, rules, reports and targets of one programme (``where`` prefixes the key paths)."""
    problems: list[str] = []
    field_types: dict[str, str] = {}
    seen_field_codes: dict[str, str] = {}
    for i, spec in _items(data, "fields"):
        at = f"{where}fields.{i}"
        key, code = spec.get("key"), field_code(spec.get("code"))
        if key in field_types:
            problems.append(f"{at}.key: '{key}' is defined twice")
        field_types[key] = spec.get("type")
        if code in seen_field_codes:
            problems.append(f"{at}.code: '{code}' is already used by {seen_field_codes[code]}")
        seen_field_codes.setdefault(code, key)
        for unit_type in spec.get("applies_to") or []:
            if unit_types and unit_type not in unit_types:
                problems.append(f"{at}.applies_to: unknown unit type '{unit_type}'")

    for i, rule in _items(data, "rules"):
        for side in ("left", "right"):
            key = rule.get(side)
            if key not in field_types:
                problems.append(f"{where}rules.{i}.{side}: no field with key '{key}'")
            elif field_types[key] != "int":
                problems.append(f"{where}rules.{i}.{side}: '{key}' is not a number field")

    seen_reports: set = set()
    for i, report in _items(data, "reports"):
        if report.get("id") in seen_reports:
            problems.append(f"{where}reports.{i}.id: '{report.get('id')}' is defined twice")
        seen_reports.add(report.get("id"))
        first, last = report.get("first_year", 2022), report.get("last_year")
        if isinstance(first, int) and isinstance(last, int) and last < first:
            problems.append(f"{where}reports.{i}.last_year: is before first_year")
    if targets_default or isinstance(data.get("targets"), dict):
        problems += _target_problems(data, where, field_types, unit_types)
    return problems


def _target_problems(data: dict, where: str, field_types: dict[str, str], unit_types: dict) -> list[str]:
    """targets.* must name fields of the right type and known unit types."""
    targets = data.get("targets") if isinstance(data.get("targets"), dict) else {}
    from robot.config import TargetsConfig  # the defaults; config imports this module

    defaults = TargetsConfig()
    wanted = {name: "int" for name in ("propaganda_field", "schools_reached_field", "schools_total_field",
                                      "students_reached_field", "students_total_field")}
    wanted["integration_field"] = "bool"
    problems = []
    for name, kind in wanted.items():
        key = targets.get(name, getattr(defaults, name))
        if field_types and key not in field_types:
            problems.append(f"{where}targets.{name}: no field with key '{key}'")
        elif field_types and field_types[key] != kind:
            problems.append(f"{where}targets.{name}: '{key}' is not a {'number' if kind == 'int' else 'yes/no'} field")
    for unit_type in targets.get("students_unit_types", defaults.students_unit_types) or []:
        if unit_types and unit_type not in unit_types:
            problems.append(f"{where}targets.students_unit_types: unknown unit type '{unit_type}'")
    return problems


def _staff_problems(data: dict, own: str, unit_emails: dict[str, int]) -> list[str]:
    """A staff address must be nobody else's: not a unit's, not the robot's, not another member's."""
    problems = []
    seen: dict[str, int] = {}
    for i, member in _items(data, "staff"):
        where = f"staff.{i}.emails"
        emails = member.get("emails") if isinstance(member.get("emails"), list) else []
        for email in (str(e).strip().lower() for e in emails):
            if email == own:
                problems.append(f"{where}: {email} is the robot's own mailbox")
            elif email in unit_emails:
                problems.append(f"{where}: {email} is registered for units.{unit_emails[email]}; "
                                "a staff address cannot also be a unit's")
            elif email in seen and seen[email] != i:
                problems.append(f"{where}: {email} is already used by staff.{seen[email]}")
            seen.setdefault(email, i)
    return problems


def field_code(value: object) -> object:
    """YAML reads an unquoted 01 as the number 1; a code is the two-digit text "01"."""
    return f"{value:02d}" if isinstance(value, int) and not isinstance(value, bool) else value
