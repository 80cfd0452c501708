"""The parse worker: a file that takes too long is cut off, and the next file is read normally."""

from __future__ import annotations

import pytest

from parsers.limits import ParseLimits
from parsers.report import ParseError
from robot.parsing import ParseWorker
from tests.filling import filled_xlsx
from tests.hostile_files import rows_after_table
from tests.robot.conftest import COMPLETE
from tests.robotenv import SHIPPED_CONFIG
from robot.config import load_config


def test_overrunning_parse_is_killed_and_the_worker_replaced():
    """GIVEN a time limit far below what a 200,000-row sheet needs WHEN it is parsed THEN the
    answer is 'timeout' AND a fresh worker reads the next file."""
    schema = load_config(SHIPPED_CONFIG).schema()
    report = filled_xlsx(schema, "thpt", COMPLETE)
    slow = rows_after_table(report)
    worker = ParseWorker()
    try:
        with pytest.raises(ParseError) as caught:
            worker.parse("slow.xlsx", slow, schema, ParseLimits(max_rows=10**6), timeout=0.05)
        assert caught.value.reason == "timeout"
        [found] = worker.parse("next.xlsx", report, schema, ParseLimits(), timeout=30)
        assert found.values["so_hssv_duoc_tt"].value == 1250
        assert 0 < worker.peak_rss_mib < 300
    finally:
        worker.stop()


def test_parse_error_comes_back_with_its_reason():
    schema = load_config(SHIPPED_CONFIG).schema()
    worker = ParseWorker()
    try:
        with pytest.raises(ParseError) as caught:
            worker.parse("bao-cao.xlsx", b"PK\x03\x04 broken", schema, ParseLimits(), timeout=30)
        assert caught.value.reason == "corrupt"
    finally:
        worker.stop()
