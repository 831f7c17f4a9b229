"""Hostile files never hang or crash a file-reading command: exit 2, a message naming
the file, no traceback, all within a time bound.

The corpus is generated here (an alias bomb, /dev/zero, /dev/urandom, a FIFO, JSON and
YAML 100,000 levels deep, 5,000-digit integers, non-UTF-8 text, a directory). Every
command runs in one child process (``CliRunner`` inside it, so the CLI starts once);
each case has its own alarm and the child a timeout, so a hang fails the test instead
of stalling the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests import pg
from tests.pg import Templates, copy_sqlite

CASE_SECONDS = 30
CHILD = """
import json, signal, sys
from typer.testing import CliRunner
from spinewise.cli import app

def alarm(signum, frame):
    raise TimeoutError("the command did not finish in time")

signal.signal(signal.SIGALRM, alarm)
results = []
for args in json.loads(sys.argv[1]):
    signal.alarm(int(sys.argv[2]))
    try:
        result = CliRunner().invoke(app, args)
        answer = [result.exit_code, result.stderr, repr(result.exception)]
    except TimeoutError as exc:
        answer = [None, str(exc), "TimeoutError"]
    finally:
        signal.alarm(0)
    results.append([args, *answer])
print(json.dumps(results))
"""


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def hostile_corpus(folder: Path) -> list[Path]:
    """The hostile files, made in ``folder`` (the devices are the system's own)."""
    texts = {
        "bomb.yaml": _alias_bomb(),
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "deep.yaml": "[" * 100_000 + "]" * 100_000,
        "bigint.json": '{"age": ' + "9" * 5000 + "}",
        "bigint.yaml": "age: " + "9" * 5000 + "\n",
    }
    made = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        made.append(folder / name)
    for name in ("latin1.json", "latin1.yaml"):
        (folder / name).write_bytes('{"name": "Müller"}'.encode("latin-1"))
        made.append(folder / name)
    os.mkfifo(folder / "fifo.yaml")
    (folder / "folder.yaml").mkdir()
    return [
        *made,
        folder / "fifo.yaml",
        folder / "folder.yaml",
        Path("/dev/zero"),
        Path("/dev/urandom"),
    ]


def commands(file: Path, kb_folder: Path) -> list[tuple[list[str], str]]:
    """Every file-reading command with ``file`` as its input; the path its message
    must name."""
    f = str(file)
    return [
        (["screen", f], f),
        (["assessments", "amend", "1", f], f),
        (["session", "record", "1", "--file", f], f),
        (["session", "amend", "1", "--file", f, "--reason", "typo"], f),
        (["questionnaire", "record", "1", "--file", f], f),
        (["import", "fhir", f], f),
        (["cohort", "screen", f], f),
        (["kb", "check", "--kb", str(kb_folder)], str(kb_folder / "sources.yaml")),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_hostile_files_fail_fast_with_a_message_naming_the_file(
    tmp_path: Path, templates: Templates
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    database = tmp_path / "clinic.sqlite3"
    copy_sqlite(templates.sqlite(), database)
    cases: list[tuple[list[str], str]] = []
    for number, file in enumerate(hostile_corpus(corpus)):
        kb_folder = tmp_path / f"kb-{number}"
        kb_folder.mkdir()
        (kb_folder / "VERSION").write_text("hostile-1\n", encoding="utf-8")
        (kb_folder / "sources.yaml").symlink_to(file)
        cases.extend(commands(file, kb_folder))
    env = {
        **os.environ,
        "SPINEWISE_DATABASE_URL": f"sqlite:///{database}",
        "SPINEWISE_USER": "therapist-a",
        "SPINEWISE_PASSWORD": pg.PASSWORD,
        "SPINEWISE_SECRET_KEY": "a cli test secret that is long enough",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            json.dumps([a for a, _ in cases]),
            str(CASE_SECONDS),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    failures = []
    for (args, exit_code, stderr, exception), (_, named) in zip(
        json.loads(done.stdout), cases, strict=True
    ):
        fine = (
            exit_code == 2
            and f"{named}: " in stderr
            and "Traceback" not in stderr
            and len(stderr) < 2000
        )
        if not fine:
            failures.append((args, exit_code, stderr[:300], exception))
    assert failures == []
