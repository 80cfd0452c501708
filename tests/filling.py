"""Fill the robot's own blank templates the way a school clerk does (the demo's forms, shared with tests)."""

from robot.demo.forms import as_written, fill_docx, fill_xlsx, filled_docx, filled_xlsx

__all__ = ["as_written", "fill_docx", "fill_xlsx", "filled_docx", "filled_xlsx"]
