"""The spec is a valid, lint-clean OpenAPI 3.1 document that holds the seed's examples and errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import SPEC_PATH
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from table_check import GET_PATH, TERMINATE_PATH, json_schema, resolve

DATA = Path(__file__).parent / "data"
ROOT = SPEC_PATH.parents[1]
SEED_202 = json.loads((DATA / "seed_202_example.json").read_text(encoding="utf-8"))
SEED_REQUEST = json.loads((DATA / "seed_request_example.json").read_text(encoding="utf-8"))
ERROR_STATUSES = ("400", "401", "403", "404", "405", "409", "429", "500")


def validator(spec: dict[str, Any], component: str) -> OAS31Validator:
    registry = Registry().with_resource("urn:spec", Resource(spec, DRAFT202012))
    return OAS31Validator({"$ref": f"urn:spec#/components/schemas/{component}"}, registry=registry)


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_spec_lints_clean_with_redocly() -> None:
    npx = shutil.which("npx")
    if npx is None or not (ROOT / "node_modules" / "@redocly").is_dir():
        pytest.fail("Redocly CLI is not installed: run `make setup`")
    result = subprocess.run(
        [npx, "--no-install", "redocly", "lint", str(SPEC_PATH), "--format", "stylish"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout.lower(), result.stdout


def test_seed_202_example_validates_and_is_the_spec_example(spec: dict[str, Any]) -> None:
    validator(spec, "TrainingJob").validate(SEED_202)
    assert spec["components"]["examples"]["TerminatingJob"]["value"] == SEED_202


def test_seed_request_example_validates_and_is_the_spec_example(spec: dict[str, Any]) -> None:
    validator(spec, "TerminateTrainingJobRequest").validate(SEED_REQUEST)
    body = spec["paths"][TERMINATE_PATH]["post"]["requestBody"]["content"]["application/json"]
    assert body["examples"]["terminate"]["value"] == SEED_REQUEST


def test_schema_rejects_what_the_tables_forbid(spec: dict[str, Any]) -> None:
    job = validator(spec, "TrainingJob")
    for path, bad in [
        (("metadata", "name"), "has space"),
        (("metadata", "name"), "x" * 65),
        (("metadata", "description"), "d" * 257),
        (("status", "phase"), "Waiting"),
        (("spec", "resource", "node_count"), 0),
    ]:
        broken = json.loads(json.dumps(SEED_202))
        target = broken
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = bad
        with pytest.raises(ValidationError):
            job.validate(broken)


def test_action_type_is_required_and_only_terminate(spec: dict[str, Any]) -> None:
    request = validator(spec, "TerminateTrainingJobRequest")
    for bad in ({}, {"action_type": "Terminate"}, {"action_type": 1}):
        with pytest.raises(ValidationError):
            request.validate(bad)


def test_documented_defaults(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["JobMetadata"]["properties"]["workspace_id"]["default"] == "0"
    for output in ("JobOutput", "TaskOutput"):
        assert schemas[output]["properties"]["mode"]["default"] == "upload_periodically"
        assert schemas[output]["properties"]["period"]["default"] == "30s"
    assert schemas["TrainingJob"]["properties"]["kind"]["default"] == "job"


@pytest.mark.parametrize("status", ERROR_STATUSES)
def test_terminate_documents_error_status_with_error_schema(
    spec: dict[str, Any], status: str
) -> None:
    response = resolve(spec, spec["paths"][TERMINATE_PATH]["post"]["responses"][status])
    assert json_schema(spec, response) == spec["components"]["schemas"]["ErrorResponse"]
    assert "X-Request-Id" in response["headers"]
    errors = validator(spec, "ErrorResponse")
    examples = response["content"]["application/json"]["examples"]
    assert examples
    for example in examples.values():
        errors.validate(example["value"])


def test_error_examples_use_the_real_modelarts_codes(spec: dict[str, Any]) -> None:
    responses = spec["components"]["responses"]
    codes = {
        (name, example["value"]["error_code"])
        for name, response in responses.items()
        for example in response["content"]["application/json"]["examples"].values()
    }
    for expected in [
        ("BadRequest", "ModelArts.2775"),
        ("BadRequest", "ModelArts.2812"),
        ("BadRequest", "ModelArts.2787"),
        ("Unauthorized", "ModelArts.0201"),
        ("Forbidden", "ModelArts.0210"),
        ("MethodNotAllowed", "ModelArts.2803"),
        ("Conflict", "ModelArts.2796"),
        ("Conflict", "ModelArts.2878"),
        ("TooManyRequests", "ModelArts.2799"),
        ("InternalServerError", "ModelArts.2950"),
    ]:
        assert expected in codes


def test_both_operations_return_the_same_job_and_a_request_id(spec: dict[str, Any]) -> None:
    accepted = spec["paths"][TERMINATE_PATH]["post"]["responses"]["202"]
    ok = spec["paths"][GET_PATH]["get"]["responses"]["200"]
    job = spec["components"]["schemas"]["TrainingJob"]
    assert json_schema(spec, accepted) == json_schema(spec, ok) == job
    assert "X-Request-Id" in accepted["headers"] and "X-Request-Id" in ok["headers"]


def test_either_token_or_aksk_authenticates(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    token, aksk = schemes["IamToken"], schemes["AkSk"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "X-Auth-Token")
    assert (aksk["type"], aksk["in"], aksk["name"]) == ("apiKey", "header", "Authorization")
    assert "X-Sdk-Date" in aksk["description"]
    # Two alternatives, not one requirement with both: a request needs only one of them.
    assert spec["security"] == [{"IamToken": []}, {"AkSk": []}]


def test_every_property_has_an_english_description(spec: dict[str, Any]) -> None:
    spanish = ("trabajo", "entrenamiento", "formación", "parámetro", "Opciones")
    for name, schema in spec["components"]["schemas"].items():
        assert schema.get("description"), name
        for field, prop in schema.get("properties", {}).items():
            text = prop.get("description") or resolve(spec, prop).get("description")
            assert text, f"{name}.{field} has no description"
            assert not any(word in text for word in spanish), f"{name}.{field}: {text}"
