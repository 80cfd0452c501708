"""`programmes[]` in config.yaml: the first round's shape is programme "default"; more programmes
add their own indicators, periods and units; every mistake is named with its key path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from robot.config import load_config
from robot.errors import ConfigError
from robot.periods import all_periods, period_by_id
from tests.programmes import DRUGS, example_programmes
from tests.robotenv import SHIPPED_CONFIG


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _shipped() -> dict:
    return yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))


def _problems(tmp_path: Path, data: dict) -> list[str]:
    with pytest.raises(ConfigError) as failed:
        load_config(_write(tmp_path, data))
    return failed.value.problems


def test_the_shipped_config_is_one_programme_its_own_view():
    config = load_config(SHIPPED_CONFIG)
    assert config.programme_views == (config,)
    assert (config.programme_id, config.has_programmes) == ("default", False)
    assert [r.period for r in config.reports] == ["semiannual", "annual"], "inferred from due, as before"


def test_a_second_programme_has_its_own_indicators_units_and_monthly_periods(tmp_path):
    config = load_config(_write(tmp_path, _shipped() | {"programmes": example_programmes()}))
    plan, drugs = config.programme_views
    assert (plan.programme_id, drugs.programme_id) == ("default", DRUGS)
    assert plan.fields == config.fields and plan.targets is not None and drugs.targets is None
    assert {f.key for f in drugs.fields}.isdisjoint({f.key for f in plan.fields})
    assert {u.type for u in drugs.units} == {"phong_gddt", "thpt", "cao_dang_su_pham"} < {u.type for u in plan.units}
    assert drugs.schema().programme == DRUGS and plan.schema().programme == "default"
    march = period_by_id(drugs, "monthly-2026-03")
    assert (march.data_end, march.deadline.date(), march.title) == (
        dt.date(2026, 3, 14), dt.date(2026, 3, 18), "Báo cáo công tác phòng, chống ma túy tháng 3/2026")
    assert period_by_id(drugs, "monthly-2026-13") is None and period_by_id(drugs, "annual-2026") is None
    assert [p.id for p in all_periods(drugs, dt.datetime(2026, 1, 1, tzinfo=config.tz))][:2] == [
        "monthly-2026-01", "monthly-2026-02"]


def test_programmes_alone_without_the_first_rounds_top_level_shape(tmp_path):
    data = _shipped()
    for key in ("fields", "rules", "reports", "targets", "keywords"):
        data.pop(key)
    config = load_config(_write(tmp_path, data | {"programmes": example_programmes()}))
    assert [v.programme_id for v in config.programme_views] == [DRUGS]


def test_every_mistake_in_a_programme_is_named_with_its_key(tmp_path):
    wrong = example_programmes()[0]
    wrong["reports"][0].pop("due_day")
    wrong["unit_types"] = ["thpt", "mam_non"]
    wrong["units"] = ["KHONG-CO"]
    wrong["rules"] = [{"left": "so_hssv_duong_tinh", "right": "khong_co"}]
    weekly = {"id": "weekly", "title": "Báo cáo tuần", "period": "weekly", "due": "06-01"}
    problems = _problems(tmp_path, _shipped() | {"programmes": [wrong, wrong | {"reports": [weekly]}]})
    assert "programmes.0.reports.0: a monthly report needs 'due_day' (and no other due key); given: none" in problems
    assert "programmes.1.reports.0: a weekly report needs 'due_weekday' (and no other due key); given: due" in problems
    assert "programmes.0.unit_types: unknown unit type 'mam_non'" in problems
    assert "programmes.0.units: no unit with code 'KHONG-CO'" in problems
    assert "programmes.0.rules.0.right: no field with key 'khong_co'" in problems
    assert "programmes.1.id: 'phong_chong_ma_tuy' is already used by another programme" in problems


def test_a_programme_cannot_take_the_id_of_the_top_level_one(tmp_path):
    problems = _problems(tmp_path, _shipped() | {"programmes": [example_programmes()[0] | {"id": "default"}]})
    assert "programmes.0.id: 'default' is already used by the top-level programme" in problems
