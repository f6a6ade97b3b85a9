"""A bad spec is reported with where it is wrong, and never damages the previous output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.load import load_api
from generator.problems import SpecProblems
from generator.spec import read_spec

from .conftest import ROOT, SPEC


def _broken_spec(tmp_path: Path) -> Path:
    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    terminate = document["paths"]["/v2/{project_id}/training-jobs/{training_job_id}/actions"]
    terminate["post"]["parameters"] = [{"name": "limit", "in": "body"}]
    get = document["paths"]["/v2/{project_id}/training-jobs/{training_job_id}"]["get"]
    get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = (
        "#/components/schemas/NoSuchJob"
    )
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_every_problem_is_reported_with_its_location(tmp_path: Path) -> None:
    with pytest.raises(SpecProblems) as caught:
        load_api(read_spec(_broken_spec(tmp_path)))

    pointers = [error.pointer for error in caught.value.errors]
    # Operations are read in the order of their paths, whatever the document's order.
    assert pointers == [
        "/paths/~1v2~1{project_id}~1training-jobs~1{training_job_id}/get/responses/200/content/application~1json/schema",
        "/paths/~1v2~1{project_id}~1training-jobs~1{training_job_id}~1actions/post/parameters/0",
    ]
    assert "unresolvable $ref '#/components/schemas/NoSuchJob'" in str(caught.value)


def test_a_bad_spec_exits_2_without_a_traceback_and_keeps_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    assert main(["--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--spec",
            str(_broken_spec(tmp_path)),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "broken.yaml#/paths/" in result.stderr
    assert "a parameter needs a name and an 'in'" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "generated"]


def test_invalid_yaml_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("openapi: 3.1.0\npaths:\n  /a: [unclosed\n", encoding="utf-8")

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2

    assert "line 4" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_missing_spec_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--spec", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "out")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_a_failed_write_leaves_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator import project

    out = tmp_path / "generated"
    assert main(["--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def disk_full(files: object, root: Path) -> None:
        (root / "half-written.py").write_text("x = ")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project, "_write", disk_full)
    assert main(["--out", str(out)]) == 1

    assert "No space left on device" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]


def test_a_misshapen_document_is_a_spec_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nservers: {url: x}\n"
        "paths: {/a: {get: {operationId: a, responses: {'200': {$ref: 7}}}}}\n"
        "components: {schemas: {A: {type: object}}}\n",
        encoding="utf-8",
    )

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2

    assert "odd.yaml#" in capsys.readouterr().err


def test_a_dangling_ref_between_schemas_is_a_problem_not_an_any_model(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    document["components"]["schemas"]["TrainingJob"]["properties"]["metadata"]["$ref"] = (
        "#/components/schemas/NoSuchMetadata"
    )
    path = tmp_path / "dangling.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

    with pytest.raises(SpecProblems) as caught:
        load_api(read_spec(path))

    (error,) = caught.value.errors
    assert error.pointer == "/components/schemas/TrainingJob/properties/metadata/$ref"
    assert error.message == "#/components/schemas/NoSuchMetadata points nowhere"
