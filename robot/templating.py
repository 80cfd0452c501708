"""The Jinja2 environments for the robot's own mail and documents (templates beside this module)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def _environment(autoescape: bool) -> Environment:
    return Environment(loader=PackageLoader("robot", "templates"), undefined=StrictUndefined,
                       autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


text_templates = _environment(autoescape=False)
# HTML mail: everything interpolated is escaped (unit names and sender text come from outside).
html_templates = _environment(autoescape=True)
