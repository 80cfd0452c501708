"""The digest chart: completeness and timeliness by unit type; student coverage against its target."""

from __future__ import annotations

import io
import textwrap

from robot.digest.figures import PeriodFigures


def chart_png(figures: PeriodFigures, students_percent: float) -> bytes:
    """A PNG with two panels for one period."""
    # Imported here: matplotlib takes seconds to import, and every other command would pay it.
    # A bare Figure (no pyplot) renders with Agg, keeps no global state and is thread-safe.
    from matplotlib.figure import Figure

    groups = figures.by_type + [figures.total]
    figure = Figure(figsize=(12, 0.55 * len(groups) + 2.4), dpi=100)
    left, right = figure.subplots(1, 2)
    rows = range(len(groups))
    left.barh([r - 0.2 for r in rows], [g.completeness or 0 for g in groups], height=0.4,
              color="#2e7d32", label="Đầy đủ (đã nộp đủ ÷ phải nộp)")
    left.barh([r + 0.2 for r in rows], [g.timeliness or 0 for g in groups], height=0.4,
              color="#1565c0", label="Đúng hạn (nộp đủ đúng hạn ÷ phải nộp)")
    left.set_yticks(list(rows), [textwrap.fill(g.label, 28) for g in groups], fontsize=8)
    left.invert_yaxis()
    left.set_xlim(0, 100)
    left.set_xlabel("%")
    left.set_title("Tỷ lệ báo cáo theo loại đơn vị", fontsize=10)
    left.legend(fontsize=7, loc="lower right")

    covered = [g for g in figures.by_type if g.key in figures.student_types] + [figures.total]
    right.bar([textwrap.fill(g.label, 16) for g in covered], [g.students_share or 0 for g in covered],
              color="#ef6c00")
    right.axhline(students_percent, color="#c62828", linestyle="--", label=f"Chỉ tiêu {students_percent:g}%")
    right.set_ylim(0, 100)
    right.set_ylabel("%")
    right.tick_params(axis="x", labelsize=7)
    right.set_title("Tỷ lệ học sinh, sinh viên được tuyên truyền", fontsize=10)
    right.legend(fontsize=7)
    figure.suptitle(figures.period.title, fontsize=12)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
