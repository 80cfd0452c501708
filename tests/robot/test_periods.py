"""Which period a mail is about: named in the document or subject, else from the received date."""

from __future__ import annotations

import pytest

from robot.config import load_config
from robot.periods import period_by_id, pick_period
from tests.robotenv import SHIPPED_CONFIG, local

CONFIG = load_config(SHIPPED_CONFIG)


@pytest.mark.parametrize(("texts", "received", "expected"), [
    (["Báo cáo 6 tháng đầu năm 2026"], local(2026, 5, 20), "semiannual-2026"),
    (["BÁO CÁO SÁU THÁNG ĐẦU NĂM 2025"], local(2026, 5, 20), "semiannual-2025"),
    (["bao cao 6 thang"], local(2026, 6, 10), "semiannual-2026"),
    (["Báo cáo kết quả cả năm 2026"], local(2026, 11, 2), "annual-2026"),
    (["Báo cáo cả năm"], local(2027, 1, 5), "annual-2026"),
    ([], local(2026, 11, 20), "annual-2026"),  # the open period
    ([], local(2026, 5, 31, 23, 59), "semiannual-2026"),
    ([], local(2026, 6, 3), "semiannual-2026"),  # late, not yet filed
    ([], local(2026, 10, 1), "annual-2026"),  # long after: the next one
    (["Báo cáo năm 2026"], local(2026, 11, 20), "annual-2026"),
])
def test_pick_period(texts, received, expected):
    assert pick_period(CONFIG, received, texts, filed=set()).id == expected


def test_a_filed_overdue_period_is_not_picked_again():
    period = pick_period(CONFIG, local(2026, 6, 3), [], filed={"semiannual-2026"})
    assert period.id == "annual-2026"


def test_deadline_is_midnight_local_time_of_the_due_day():
    period = period_by_id(CONFIG, "semiannual-2026")
    assert period.is_on_time(local(2026, 5, 31, 23, 59, 59))
    assert not period.is_on_time(local(2026, 6, 1, 0, 0))


def test_unknown_or_out_of_range_period_ids():
    assert period_by_id(CONFIG, "annual-2019") is None
    assert period_by_id(CONFIG, "quarterly-2026") is None
    assert period_by_id(CONFIG, "annual") is None
