"""The indicator set as the parsers see it: plain frozen data, built by the robot from config."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldType = Literal["int", "bool", "text"]


@dataclass(frozen=True)
class FieldSpec:
    """One indicator of the report: its stable key, its "Mã số" code and how people write it."""

    key: str
    code: str
    label: str
    type: FieldType
    required: bool = True
    aliases: tuple[str, ...] = ()
    # Unit type keys the field applies to; empty means every unit type.
    applies_to: tuple[str, ...] = ()

    def applies(self, unit_type: str | None) -> bool:
        return not self.applies_to or unit_type is None or unit_type in self.applies_to


@dataclass(frozen=True)
class Schema:
    """The full indicator set, in template order, plus the words printed in template headers."""

    fields: tuple[FieldSpec, ...]
    # Printed in generated templates: the issuing body and the report title.
    authority: str = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    title: str = "BÁO CÁO"
    subtitle: str = ""
    place: str = ""
    unit_types: dict[str, str] = field(default_factory=dict)  # key -> Vietnamese name
    programme: str = "default"  # the report programme's id, stamped into generated templates

    def for_unit_type(self, unit_type: str | None) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.applies(unit_type))

    def by_key(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)
