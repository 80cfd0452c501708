"""Fixtures for the parser tests: the default schema of DESIGN.md §1."""

from __future__ import annotations

import pytest
from default_indicators import DEFAULT_FIELDS, UNIT_TYPES, sample_values

from parsers.schema import Schema


@pytest.fixture(scope="session")
def schema() -> Schema:
    """GIVEN the programme's 17 default indicators, as the robot builds them from config."""
    return Schema(
        fields=DEFAULT_FIELDS,
        authority="UBND TỈNH LONG AN",
        title="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        subtitle="Thực hiện Chương trình phòng, chống mại dâm giai đoạn 2021-2025",
        place="Long An",
        unit_types=UNIT_TYPES,
    )


@pytest.fixture
def values_for(schema: Schema):
    """GIVEN the sample values for a unit type."""
    return lambda unit_type: sample_values(schema, unit_type)
