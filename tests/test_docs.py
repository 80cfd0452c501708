"""Every CLI command explains itself (--help with an example) and is named in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from robot.cli import app

REPO = Path(__file__).resolve().parent.parent
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_the_cli_has_the_contract_commands():
    assert {"run", "poll", "remind", "digest", "status", "export", "template", "check", "demo"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example(name: str):
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help and command.help.strip(), f"robot {name} has no help text"
    assert "Example:" in command.help, f"robot {name} --help shows no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_named_in_the_readme(name: str):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"robot {name}" in readme, f"README.md does not mention `robot {name}`"


@pytest.mark.parametrize("guide", ["huong-dan-quan-tri.md", "huong-dan-can-bo.md", "thong-bao-cho-don-vi.md"])
def test_the_vietnamese_guides_exist_and_are_linked(guide: str):
    assert (REPO / "docs" / guide).stat().st_size > 1000
    assert f"docs/{guide}" in (REPO / "README.md").read_text(encoding="utf-8")
