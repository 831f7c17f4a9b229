"""Docs users read are held to the code: generated pages are fresh, commands documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.main import get_command

from spinewise.cli import app
from spinewise.cli.clinical_basis import render_clinical_basis_page
from spinewise.cli.reference import render_cli_reference, render_settings_reference
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]


def test_clinical_basis_page_is_generated_from_the_current_kb(
    kb: KnowledgeBase,
) -> None:
    committed = (ROOT / "docs" / "clinical-basis.md").read_text(encoding="utf-8")
    assert committed == render_clinical_basis_page(kb), "run `spinewise kb doc`"


def test_russian_clinical_basis_page_is_generated_from_the_current_kb(
    kb: KnowledgeBase,
) -> None:
    committed = (ROOT / "docs" / "clinical-basis.ru.md").read_text(encoding="utf-8")
    assert committed == render_clinical_basis_page(kb, "ru"), "run `spinewise kb doc`"


def test_russian_clinical_basis_has_the_same_rules_anchors_and_sources(
    kb: KnowledgeBase,
) -> None:
    english = render_clinical_basis_page(kb)
    russian = render_clinical_basis_page(kb, "ru")
    for pattern in (
        r"^#+ [A-Z]{2}-[A-Z]{3}-\d{2}$",
        r'^<a id="[^"]+"></a>$',
        r"^\| [A-Z][A-Z0-9-]+ \|",
    ):
        assert re.findall(pattern, russian, re.M) == re.findall(pattern, english, re.M)
    for rule in kb.in_language("ru").rules:
        assert rule.message in russian
    assert "Every rule Spinewise applies" not in russian
    assert not re.search(r"\{[a-z_]+\}", russian), "a placeholder left unformatted"
    assert "Clinical basis" not in russian and "Applies when" not in russian


def test_clinical_basis_names_every_rule_and_source(kb: KnowledgeBase) -> None:
    page = render_clinical_basis_page(kb)
    for rule in kb.rules:
        assert f"### {rule.id}" in page
    for source in kb.sources:
        assert f"| {source} |" in page


def command_names(group: typer.Typer) -> list[str]:
    root = get_command(group)
    names = []
    for name, command in getattr(root, "commands", {}).items():
        names.append(name)
        for sub in getattr(command, "commands", {}):
            names.append(f"{name} {sub}")
    return names


def test_cli_page_is_generated_from_the_current_commands() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == render_cli_reference(app), "run `spinewise docs`"


def test_every_command_is_documented_in_the_cli_page() -> None:
    page = render_cli_reference(app)
    for name in command_names(app):
        assert f"spinewise {name}" in page, f"`spinewise {name}` is not in docs/cli.md"


def test_readme_quickstart_is_make_run_then_make_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\n.*?```(?:sh|bash)?\n(.*?)```", readme, re.S)
    assert block, "README has a Quick start code block"
    commands = [
        line
        for line in block.group(1).splitlines()
        if line and not line.startswith("#")
    ]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    assert "make test" in script


def test_settings_page_is_generated_from_the_settings_model() -> None:
    page = (ROOT / "docs" / "operators" / "settings.md").read_text(encoding="utf-8")
    assert page == render_settings_reference(), "run `spinewise docs`"


def test_every_setting_says_what_it_does_and_is_on_the_page() -> None:
    page = render_settings_reference()
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description (docstring)"
        assert f"| `{name}` | `SPINEWISE_{name.upper()}` |" in page
