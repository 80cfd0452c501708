"""The digest chart: completeness and timeliness by unit type; student coverage against its target
(for a programme with the plan's targets)."""

from __future__ import annotations

import io
import textwrap

from robot.digest.figures import PeriodFigures

WIDTH = 12.0  # inches, at 100 dpi
MARGIN_TOP, MARGIN_BOTTOM = 0.6, 0.9  # inches: the title above, the wrapped type names below
PERCENT_TICKS, PERCENT_LABELS = [0, 25, 50, 75, 100], ["0 %", "25 %", "50 %", "75 %", "100 %"]
# A title placed by hand: matplotlib otherwise measures every tick label to lift it above them.
TITLE_Y = 1.02


def chart_png(figures: PeriodFigures, students_percent: float | None) -> bytes:
    """A PNG for one period: two panels, or the first alone without a students' target."""
    # Imported here: matplotlib takes seconds to import, and every other command would pay it.
    # A bare Figure (no pyplot) renders with Agg, keeps no global state and is thread-safe.
    from matplotlib.figure import Figure

    groups = figures.by_type + [figures.total]
    height = 0.55 * len(groups) + 2.4
    figure = Figure(figsize=(WIDTH, height), dpi=100)
    # Fixed panel positions, percent signs on the ticks instead of axis labels: tight_layout and
    # label placement measured every tick label and cost most of the drawing time.
    bottom, top = MARGIN_BOTTOM / height, 1 - MARGIN_TOP / height
    left = figure.add_axes((0.17, bottom, 0.33 if students_percent is not None else 0.78, top - bottom))
    rows = range(len(groups))
    left.barh([r - 0.2 for r in rows], [g.completeness or 0 for g in groups], height=0.4,
              color="#2e7d32", label="Đầy đủ (đã nộp đủ ÷ phải nộp)")
    left.barh([r + 0.2 for r in rows], [g.timeliness or 0 for g in groups], height=0.4,
              color="#1565c0", label="Đúng hạn (nộp đủ đúng hạn ÷ phải nộp)")
    left.set_yticks(list(rows), [textwrap.fill(g.label, 28) for g in groups], fontsize=8)
    left.invert_yaxis()
    left.set_xlim(0, 100)
    left.set_xticks(PERCENT_TICKS, PERCENT_LABELS)
    left.set_title("Tỷ lệ báo cáo theo loại đơn vị", fontsize=10, y=TITLE_Y)
    left.legend(fontsize=7, loc="lower right")
    if students_percent is not None:
        _students_panel(figure.add_axes((0.58, bottom, 0.40, top - bottom)), figures, students_percent)
    figure.suptitle(figures.period.title, fontsize=12)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _students_panel(right, figures: PeriodFigures, students_percent: float) -> None:
    covered = [g for g in figures.by_type if g.key in figures.student_types] + [figures.total]
    right.bar(range(len(covered)), [g.students_share or 0 for g in covered], color="#ef6c00")
    right.set_xticks(range(len(covered)), [textwrap.fill(g.label, 16) for g in covered], fontsize=7)
    right.axhline(students_percent, color="#c62828", linestyle="--", label=f"Chỉ tiêu {students_percent:g}%")
    right.set_ylim(0, 100)
    right.set_ylabel("%")
    right.set_title("HSSV được tuyên truyền (báo cáo đã nộp đủ)", fontsize=10)
    right.legend(fontsize=7, loc="upper right")
