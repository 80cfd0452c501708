"""The parse worker unpickles a fresh (equal) schema for every file: results must not depend on it."""

from __future__ import annotations

import pickle

from parsers.limits import ParseLimits
from parsers.registry import parse_attachment
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE


def test_a_second_file_with_an_equal_schema_reads_the_same(schema):
    data = filled_xlsx(schema, "thpt", COMPLETE)
    first = parse_attachment("a.xlsx", data, pickle.loads(pickle.dumps(schema)), ParseLimits())[0]
    second = parse_attachment("b.xlsx", data, pickle.loads(pickle.dumps(schema)), ParseLimits())[0]
    assert second.warnings == first.warnings == []
    assert {key: (v.value, v.via) for key, v in second.values.items()} == \
        {key: (v.value, v.via) for key, v in first.values.items()}
    assert {v.via for v in second.values.values()} == {"code"}  # the template's Mã số column
