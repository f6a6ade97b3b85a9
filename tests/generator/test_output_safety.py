"""--out replaces only the generator's own folder; every rendered file compiles before any is written;
whatever goes wrong is one line on stderr, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.problems import SpecProblems
from generator.project import MANIFEST

from .conftest import ROOT


def _snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path under ``root`` (itself included) with its mode and, for a file, its bytes."""
    paths = [root, *root.rglob("*")] if root.is_dir() else [root]
    return {
        str(path.relative_to(root)): (
            path.lstat().st_mode,
            path.read_bytes() if path.is_file() else None,
        )
        for path in paths
    }


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize(
    "foreign",
    [{"notes.txt": "mine"}, {".git/HEAD": "ref: refs/heads/main\n"}, {"src/app.py": "x = 1\n"}],
    ids=["a file", "a git repository", "a folder"],
)
def test_a_folder_of_other_files_is_refused_and_untouched(
    tmp_path: Path, foreign: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "project"
    for name, content in foreign.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(content, encoding="utf-8")
    before = _snapshot(out)

    assert main(["--out", str(out)]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a folder the generator made" in err
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_a_plain_file_is_refused_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "client.py"
    out.write_text("print('mine')\n", encoding="utf-8")
    before = _snapshot(out)

    assert main(["--out", str(out)]) == 2

    assert "is not a folder" in capsys.readouterr().err
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.py"]


def test_a_file_added_to_the_generators_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "generated"
    assert main(["--out", str(out)]) == 0
    (out / "modelarts_training" / "extras.py").write_text("HELPER = 1\n", encoding="utf-8")
    before = _snapshot(out)

    assert main(["--out", str(out)]) == 2

    assert "did not write: modelarts_training/extras.py" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_rerendering_into_its_own_folder_keeps_build_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    assert main(["--out", str(out)]) == 0
    (out / "modelarts_training" / "__pycache__").mkdir()
    (out / "modelarts_training" / "__pycache__" / "client.cpython-311.pyc").write_bytes(b"\0")
    (out / "modelarts_training.egg-info").mkdir()
    (out / "modelarts_training.egg-info" / "PKG-INFO").write_text("Name: x\n", encoding="utf-8")
    (out / "modelarts_training" / "client.py").write_text("edited = True\n", encoding="utf-8")

    assert main(["--out", str(out)]) == 0

    assert (out / "modelarts_training.egg-info" / "PKG-INFO").read_text() == "Name: x\n"
    assert "edited" not in (out / "modelarts_training" / "client.py").read_text()
    assert MANIFEST in os.listdir(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]


@pytest.mark.usefixtures("umask_022")
def test_the_output_folder_has_the_permissions_of_a_plain_mkdir(tmp_path: Path) -> None:
    out = tmp_path / "generated"

    assert main(["--out", str(out)]) == 0
    assert main(["--out", str(out)]) == 0

    assert oct(out.stat().st_mode & 0o777) == oct(0o755)
    assert oct((out / "pyproject.toml").stat().st_mode & 0o777) == oct(0o644)


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()

    assert main(["--out", str(out)]) == 0

    assert (out / "pyproject.toml").is_file()


@pytest.mark.parametrize(
    ("template", "broken", "message"),
    [
        ("_retry.py.jinja2", 'X = "{{ package }}\n', "rendered modelarts_training/_retry.py"),
        ("pyproject.toml.jinja2", "[project\nname = 1\n", "rendered pyproject.toml is not"),
    ],
)
def test_a_rendered_file_that_does_not_compile_is_an_internal_error_and_writes_nothing(
    tmp_path: Path, template: str, broken: str, message: str
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / template).write_text(broken, encoding="utf-8")
    out = tmp_path / "generated"

    result = _run("--templates", str(templates), "--out", str(out))

    assert result.returncode == 1
    assert result.stderr.startswith("internal error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert not out.exists()


def test_an_unexpected_exception_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    # A bug anywhere in the run: here, in reading the document.
    monkeypatch.setattr(yaml, "load", bug)
    out = tmp_path / "generated"

    assert main(["--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        err == "internal error: ZeroDivisionError: division by zero (--debug shows the traceback)\n"
    )
    assert not out.exists()

    assert main(["--out", str(out), "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("swagger: '2.0'\ninfo: {title: t, version: '1'}\n", "found swagger '2.0'"),
        ("openapi: 4.0.0\n", "found '4.0.0'"),
        ("- just\n- a list\n", "not a mapping"),
        ("{unclosed: [\n", "line 2"),
        (None, "cannot read the file"),
    ],
    ids=["swagger 2", "openapi 4", "a list", "not yaml", "missing"],
)
def test_a_document_that_is_not_openapi_3_is_exit_2_in_one_line(
    tmp_path: Path, content: str | None, message: str
) -> None:
    spec = tmp_path / "doc.yaml"
    if content is not None:
        spec.write_text(content, encoding="utf-8")

    result = _run("--spec", str(spec), "--out", str(tmp_path / "out"))

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_dates_stay_the_strings_they_are_in_json(tmp_path: Path) -> None:
    from generator.spec import read_spec

    spec = tmp_path / "doc.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {version: 2024-01-31}\npaths: {200: {}}\n", "utf-8")

    document = read_spec(spec).document

    assert document["info"]["version"] == "2024-01-31"
    assert list(document["paths"]) == ["200"]


def test_only_true_and_false_are_booleans_as_in_yaml_1_2(tmp_path: Path) -> None:
    # Cohere's `safety_mode: {enum: [CONTEXTUAL, STRICT, OFF]}`: YAML 1.1 reads OFF as false.
    from generator.spec import read_spec

    spec = tmp_path / "doc.yaml"
    spec.write_text("openapi: 3.1.0\nx: [OFF, on, Yes, no, true, False, TRUE, ~]\n", "utf-8")

    document = read_spec(spec).document

    assert document["x"] == ["OFF", "on", "Yes", "no", True, False, True, None]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("openapi: 3.1.0\nx: !!binary aGk=\n", "/x: a value of type bytes is not JSON"),
        ("openapi: 3.1.0\nx: {!!timestamp 2024-01-31: a}\n", "/x: a key of type date is not"),
    ],
)
def test_a_value_json_cannot_hold_is_refused_with_its_location(
    tmp_path: Path, content: str, message: str
) -> None:
    from generator.spec import read_spec

    spec = tmp_path / "doc.yaml"
    spec.write_text(content, encoding="utf-8")

    with pytest.raises(SpecProblems, match=message):
        read_spec(spec)


def test_an_alias_bomb_is_refused_before_it_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import spec as spec_module

    monkeypatch.setattr(spec_module, "MAX_NODES", 10_000)
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 6)
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("openapi: 3.1.0\n" + "\n".join(layers) + "\n", encoding="utf-8")

    with pytest.raises(SpecProblems, match="more than 10000 values"):
        spec_module.read_spec(path)


def test_a_huge_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import spec as spec_module

    monkeypatch.setattr(spec_module, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("openapi: 3.1.0\n" + "#" * 200 + "\n", encoding="utf-8")

    with pytest.raises(SpecProblems, match="larger than"):
        spec_module.read_spec(path)
