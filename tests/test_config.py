"""The shipped config.yaml (Sở GD&ĐT Long An plan, DESIGN §1) and load_config's error reporting."""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from robot.config import Config, Unit, load_config
from robot.errors import ConfigError

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.yaml"

# DESIGN §1 "The default indicator set": code, key, label, type, required, applies_to.
DESIGN_FIELDS = [
    ("01", "ke_hoach", "Đơn vị đã ban hành kế hoạch thực hiện Chương trình phòng, chống mại dâm", "bool", True, ()),
    ("02", "ban_chi_dao", "Đã củng cố, kiện toàn Ban Chỉ đạo phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm", "bool", True, ()),
    ("03", "so_hinh_thuc_tt", "Số hình thức tuyên truyền về phòng, chống mại dâm đã tổ chức", "int", True, ()),
    ("04", "so_buoi_tt", "Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức", "int", True, ()),
    ("05", "so_hssv_duoc_tt", "Số học sinh, sinh viên được tuyên truyền", "int", True, ()),
    ("06", "tong_so_hssv", "Tổng số học sinh, sinh viên của đơn vị", "int", True, ()),
    ("07", "so_cbgv_duoc_tt", "Số lượt cán bộ, công chức, viên chức, nhân viên được tuyên truyền", "int", True, ()),
    ("08", "long_ghep", "Có lồng ghép phòng, chống mại dâm với các chương trình phòng, chống ma túy, mua bán người, HIV/AIDS, an sinh xã hội", "bool", True, ()),
    ("09", "so_cb_tap_huan", "Số cán bộ, công chức, viên chức tham dự tập huấn, bồi dưỡng", "int", True, ()),
    ("10", "so_cuoc_kiem_tra", "Số cuộc kiểm tra, giám sát về an ninh, trật tự trường học", "int", False, ()),
    ("11", "so_vu_vi_pham", "Số vụ việc vi phạm liên quan đến mại dâm được phát hiện", "int", True, ()),
    ("12", "so_vu_xu_ly", "Số vụ việc vi phạm đã được xử lý", "int", True, ()),
    ("13", "so_khen_thuong", "Số tập thể, cá nhân được biểu dương, khen thưởng", "int", False, ()),
    ("14", "so_truong_truc_thuoc", "Tổng số trường học trực thuộc", "int", True, ("phong_gddt",)),
    ("15", "so_truong_co_tt", "Số trường đã tổ chức ít nhất một hình thức tuyên truyền", "int", True, ("phong_gddt",)),
    ("16", "kho_khan", "Khó khăn, vướng mắc", "text", False, ()),
    ("17", "kien_nghi", "Đề xuất, kiến nghị", "text", False, ()),
]

DESIGN_RULES = {
    ("so_hssv_duoc_tt", "<=", "tong_so_hssv"),
    ("so_vu_xu_ly", "<=", "so_vu_vi_pham"),
    ("so_truong_co_tt", "<=", "so_truong_truc_thuoc"),
}

# DESIGN §1: the 15 Phòng GD&ĐT of Long An.
DISTRICTS = [
    "thành phố Tân An", "thị xã Kiến Tường", "huyện Tân Hưng", "huyện Vĩnh Hưng", "huyện Mộc Hóa",
    "huyện Tân Thạnh", "huyện Thạnh Hóa", "huyện Đức Huệ", "huyện Đức Hòa", "huyện Bến Lức",
    "huyện Thủ Thừa", "huyện Tân Trụ", "huyện Châu Thành", "huyện Cần Đước", "huyện Cần Giuộc",
]

UNIT_TYPES = {"phong_gddt", "thpt", "don_vi_truc_thuoc", "cao_dang_su_pham", "dai_hoc"}


def fold(text: str) -> str:
    """Lower-case, drop Vietnamese diacritics (đ too: NFD leaves it alone), collapse punctuation."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(CONFIG_PATH)


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the shipped config


def test_shipped_config_loads(config: Config) -> None:
    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert config.base_dir == CONFIG_PATH.parent


def test_mailbox(config: Config) -> None:
    box = config.mailbox
    assert box.address == "phongcttt.solongan@moet.edu.vn"
    assert box.display_name
    assert (box.imap.port, box.imap.security) == (993, "ssl")
    assert (box.smtp.port, box.smtp.security) == (587, "starttls")
    assert box.imap.username == box.smtp.username == box.address
    assert box.imap.password_env == "ROBOT_IMAP_PASSWORD"
    assert box.smtp.password_env == "ROBOT_SMTP_PASSWORD"
    assert box.imap.folder == "INBOX"
    assert box.imap.verify_tls and box.smtp.verify_tls
    assert box.imap.post_action.kind == "none"
    # Hosts are left for the admin to fill.
    assert box.imap.host == "" and box.smtp.host == ""


def test_store_and_organisation(config: Config) -> None:
    assert config.store.url == "sqlite:///var/robot.db"
    assert config.database_url == "sqlite:///" + str(CONFIG_PATH.parent / "var/robot.db")
    assert config.archive_dir == CONFIG_PATH.parent / "var/archive"
    org = config.organisation
    assert org.authority == "UBND TỈNH LONG AN"
    assert org.name == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert org.place == "Long An"
    assert "1629/QĐ-TTg" in org.programme


def test_unit_counts_by_type(config: Config) -> None:
    counts = Counter(u.type for u in config.units)
    assert set(config.unit_types) == UNIT_TYPES
    assert counts["phong_gddt"] == 15
    assert counts["thpt"] >= 20
    assert counts["cao_dang_su_pham"] == 1
    assert counts["dai_hoc"] >= 2
    assert counts["don_vi_truc_thuoc"] >= 1
    # every unit type has at least one unit, and every unit has a known type
    assert set(counts) == set(config.unit_types)


def test_districts_are_the_fifteen_of_the_plan(config: Config) -> None:
    names = [u.name for u in config.units if u.type == "phong_gddt"]
    assert names == [f"Phòng GD&ĐT {d}" for d in DISTRICTS]
    # The plan's structure is kept: no district is retired in the shipped file.
    assert all(u.active_until is None for u in config.units if u.type == "phong_gddt")


def test_named_units(config: Config) -> None:
    names = {u.name: u.type for u in config.units}
    assert names["Trường Cao đẳng Sư phạm Long An"] == "cao_dang_su_pham"
    assert names["Trường Đại học Kinh tế Công nghiệp Long An"] == "dai_hoc"
    assert names["Trường Đại học Tân Tạo"] == "dai_hoc"
    assert names["Trường THPT chuyên Long An"] == "thpt"
    assert len(names) == len(config.units), "unit names must be unique"


def test_unit_codes_are_stable_ascii_and_unique(config: Config) -> None:
    codes = [u.code for u in config.units]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", code), code


def test_unit_emails_unique_and_placeholders(config: Config) -> None:
    emails = [e for u in config.units for e in u.emails]
    assert len(emails) == len(set(emails))
    assert all(e.endswith(".example") for e in emails)
    # The robot's own address is never registered as a unit's.
    assert config.mailbox.address not in emails
    assert config.unit_by_email("PGD.TanAn@LongAn.edu.example").code == "PGD-TANAN"


def test_staff_addresses_are_placeholders(config: Config) -> None:
    staff = [*config.digest.recipients, *config.reminders.escalate_to]
    assert staff
    assert all(e.endswith(".example") for e in staff)


def test_fields_match_design_table(config: Config) -> None:
    actual = [(f.code, f.key, f.label, f.type, f.required, tuple(f.applies_to)) for f in config.fields]
    assert actual == DESIGN_FIELDS


def test_rules(config: Config) -> None:
    assert {(r.left, r.op, r.right) for r in config.rules} == DESIGN_RULES
    assert len(config.rules) == 3


def test_schema(config: Config) -> None:
    schema = config.schema()
    assert len(schema.fields) == 17
    assert [f.code for f in schema.fields] == [f"{i:02d}" for i in range(1, 18)]
    thpt = schema.for_unit_type("thpt")
    assert len(thpt) == 15
    assert {f.key for f in thpt}.isdisjoint({"so_truong_truc_thuoc", "so_truong_co_tt"})
    assert len(schema.for_unit_type("phong_gddt")) == 17
    assert schema.authority == "UBND TỈNH LONG AN"
    assert schema.place == "Long An"
    assert set(schema.unit_types) == UNIT_TYPES


def test_every_field_has_aliases(config: Config) -> None:
    for spec in config.fields:
        assert len(spec.aliases) >= 3, spec.key
        folded = [fold(a) for a in spec.aliases]
        assert len(folded) == len(set(folded)), f"{spec.key}: duplicate alias"
        assert fold(spec.label) not in folded, f"{spec.key}: alias repeats the label"
        assert all(re.search(r"[a-z]", a.lower()) for a in spec.aliases)


def test_aliases_unique_across_fields(config: Config) -> None:
    owner: dict[str, str] = {}
    for spec in config.fields:
        for text in (spec.label, *spec.aliases):
            folded = fold(text)
            assert owner.setdefault(folded, spec.key) == spec.key, (
                f"'{text}' of {spec.key} folds like a label/alias of {owner[folded]}"
            )


def test_aliases_not_contained_in_other_fields_wording(config: Config) -> None:
    """A matcher that looks for an alias inside a longer label must not hit another field."""
    wording = {spec.key: [f" {fold(t)} " for t in (spec.label, *spec.aliases)] for spec in config.fields}
    for spec in config.fields:
        for alias in spec.aliases:
            needle = f" {fold(alias)} "
            for other, texts in wording.items():
                if other != spec.key:
                    hits = [t.strip() for t in texts if needle in t]
                    assert not hits, f"alias '{alias}' of {spec.key} occurs in {other}: {hits}"


def test_reports(config: Config) -> None:
    reports = {r.id: r for r in config.reports}
    assert set(reports) == {"semiannual", "annual"}
    assert (reports["semiannual"].title, reports["semiannual"].due) == ("Báo cáo 6 tháng đầu năm", "06-01")
    assert (reports["annual"].title, reports["annual"].due) == ("Báo cáo năm", "12-01")
    assert all(r.first_year == 2022 and r.last_year is None for r in config.reports)


SUBJECTS = [
    ("Báo cáo 6 tháng đầu năm 2026 - THPT Lê Quý Đôn", "semiannual"),
    ("V/v gửi báo cáo 06 tháng về công tác PCMD", "semiannual"),
    ("BAO CAO SAU THANG DAU NAM", "semiannual"),
    ("Báo cáo cả năm 2025 công tác phòng, chống mại dâm", "annual"),
    ("Báo cáo 12 tháng năm 2025", "annual"),
    # "năm học" (school year) must not read as the annual report: these arrive around May.
    ("Báo cáo tổng kết năm học 2024-2025", None),
    ("Báo cáo năm học 2024 - 2025", None),
    ("bc ca nam 2024", "annual"),
    ("Long An, ngày 15 tháng 5 năm 2026", None),
    ("Báo cáo kết quả thực hiện Kế hoạch 1629", None),
]


def named_report(config: Config, text: str) -> str | None:
    """The rule documented beside ReportConfig.keywords: whole-word match, longest wins."""
    plain = f" {fold(text)} "
    best = max(
        ((len(fold(k)), r.id) for r in config.reports for k in r.keywords if f" {fold(k)} " in plain),
        default=None,
    )
    return best[1] if best else None


def test_report_keywords(config: Config) -> None:
    owner: dict[str, str] = {}
    for report in config.reports:
        assert report.keywords, report.id
        for keyword in report.keywords:
            folded = fold(keyword)
            assert owner.setdefault(folded, report.id) == report.id, keyword
            assert len(folded.split()) >= 2, f"'{keyword}' is too short to name a report"


@pytest.mark.parametrize(("text", "report_id"), SUBJECTS)
def test_report_keywords_name_the_right_report(config: Config, text: str, report_id: str | None) -> None:
    assert named_report(config, text) == report_id


def test_reminders_digest_and_the_rest(config: Config) -> None:
    r = config.reminders
    assert (r.before_days, r.overdue_every_days, r.overdue_max, r.escalate_after_days, r.hour) == (
        [7, 3, 1], 3, 3, 10, 8,
    )
    assert len(r.escalate_to) == 1
    assert config.digest.schedule == "mon 07:30"
    assert config.digest.recent_days == 60
    assert len(config.digest.recipients) >= 1
    assert config.security.trusted_authserv_ids == []
    assert config.replies.unknown_sender_per_day == 1
    assert config.limits.max_attachment_mb == 20


def test_every_section_is_written_out(raw: dict) -> None:
    """Admins see every section in the file rather than relying on hidden defaults."""
    assert set(raw) == set(Config.model_fields) - {"base_dir", "programme_id", "programme_title"}


def test_new_school_reports_only_from_its_opening(config: Config) -> None:
    school = config.unit_by_code("THPT-NGUYENTRUNGTRUC")
    assert school.active_from == dt.date(2023, 9, 5)
    assert not school.active_on(dt.date(2023, 6, 1))
    assert school.active_on(dt.date(2023, 12, 1))


def test_merger_example_in_comments_is_valid_and_retires_districts(config: Config) -> None:
    """The commented-out example (districts gone after 1 July 2025) works when uncommented."""
    lines = CONFIG_PATH.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#  - code: PGD-TANAN"))
    block = []
    for line in lines[start:]:
        if not line.startswith("#  ") or (block and line.startswith("#  - ")):
            break
        block.append(line[3:])
    example = yaml.safe_load("\n".join(block))[0]
    unit = Unit(**example)
    assert unit.active_until == dt.date(2025, 6, 30)
    assert unit.active_on(dt.date(2025, 6, 1))  # semiannual-2025 still expected
    assert not unit.active_on(dt.date(2025, 12, 1))  # annual-2025 no longer

    # Applying it to every district of the shipped file still validates.
    data = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    for u in data["units"]:
        if u["type"] == "phong_gddt":
            u["active_until"] = example["active_until"]
    retired = Config(**data)
    expected_dec = [u for u in retired.units if u.active_on(dt.date(2025, 12, 1))]
    assert len(expected_dec) == len(retired.units) - 15
    assert all(u.type != "phong_gddt" for u in expected_dec)


# ---------------------------------------------------------------- error reporting


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, data: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, data))
    return info.value.problems


def unknown_key(d: dict) -> None:
    d["mailbox"]["imap"]["hots"] = "imap.example"


def bad_email(d: dict) -> None:
    d["units"][3]["emails"] = ["pgd.vinhhung-at-longan.edu.example"]


def duplicate_code(d: dict) -> None:
    d["units"][16]["code"] = "PGD-TANAN"


def unknown_unit_type(d: dict) -> None:
    d["units"][3]["type"] = "phong_gd"


def rule_missing_field(d: dict) -> None:
    d["rules"][1]["right"] = "so_vu_vi_pham_phat_hien"


def bad_due(d: dict) -> None:
    d["reports"][0]["due"] = "13-45"


def bad_timezone(d: dict) -> None:
    d["timezone"] = "Asia/Long_An"


def duplicate_email(d: dict) -> None:
    d["units"][20]["emails"] = ["PGD.TanAn@longan.edu.example"]


def rule_on_text_field(d: dict) -> None:
    d["rules"][0]["left"] = "kho_khan"


def test_unquoted_field_code_is_read_as_two_digits(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    data["fields"][0]["code"] = 1  # what YAML makes of an unquoted 01
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_config(path).fields[0].code == "01"


CASES = [
    (unknown_key, "mailbox.imap.hots: unknown key"),
    (bad_email, "units.3.emails: not an email address: pgd.vinhhung-at-longan.edu.example"),
    (duplicate_code, "units.16.code: 'PGD-TANAN' is already used by units.0"),
    (unknown_unit_type, "units.3.type: unknown unit type 'phong_gd'"),
    (rule_missing_field, "rules.1.right: no field with key 'so_vu_vi_pham_phat_hien'"),
    (bad_due, "reports.0.due: '13-45' is not a month-day like 06-01"),
    (bad_timezone, "timezone: unknown time zone 'Asia/Long_An'"),
    (duplicate_email, "units.20.emails: pgd.tanan@longan.edu.example is already registered for units.0"),
    (rule_on_text_field, "rules.0.left: 'kho_khan' is not a number field"),
]


@pytest.mark.parametrize(("breaker", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_problem_is_reported_with_its_key_path(tmp_path: Path, raw: dict, breaker, expected: str) -> None:
    data = copy.deepcopy(raw)
    breaker(data)
    problems = problems_of(tmp_path, data)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_several_structure_problems_are_reported_at_once(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    for breaker in (unknown_key, bad_email, bad_due):
        breaker(data)
    data["units"][5]["emails"] = []
    data["reminders"]["hour"] = 25
    del data["units"][7]["name"]
    problems = problems_of(tmp_path, data)
    expected = [
        "mailbox.imap.hots: unknown key",
        "units.3.emails: not an email address",
        "units.5.emails:",
        "units.7.name: required key is missing",
        "reports.0.due: '13-45'",
        "reminders.hour:",
    ]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)
    assert len(problems) == len(expected), problems


def test_several_cross_check_problems_are_reported_at_once(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    for breaker in (duplicate_code, unknown_unit_type, rule_missing_field, bad_timezone, duplicate_email):
        breaker(data)
    data["fields"][14]["applies_to"] = ["phong_gd_dt"]
    data["fields"][2]["code"] = "01"
    data["reports"][1]["id"] = "semiannual"
    problems = problems_of(tmp_path, data)
    expected = [
        "timezone: unknown time zone",
        "units.3.type: unknown unit type 'phong_gd'",
        "units.16.code: 'PGD-TANAN' is already used by units.0",
        "units.20.emails: pgd.tanan@longan.edu.example is already registered",
        "fields.2.code: '01' is already used by ke_hoach",
        "fields.14.applies_to: unknown unit type 'phong_gd_dt'",
        "rules.1.right: no field with key",
        "reports.1.id: 'semiannual' is defined twice",
    ]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)
    assert len(problems) == len(expected), problems


def test_structure_and_cross_check_problems_reported_together(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    for breaker in (unknown_key, duplicate_code, bad_timezone):
        breaker(data)
    problems = problems_of(tmp_path, data)
    assert any(p.startswith("units.16.code") for p in problems)
    assert any(p.startswith("timezone") for p in problems)


def test_unreadable_and_non_mapping_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(missing)
    assert "cannot read the file" in info.value.problems[0]

    broken = tmp_path / "broken.yaml"
    broken.write_text("units: [\n  - code: X\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(broken)
    assert "not valid YAML" in info.value.problems[0]

    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(listing)
    assert "expected keys" in info.value.problems[0]
