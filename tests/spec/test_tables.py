"""Each of the seed's 55 tables is in the spec: every field, at its place, with its type."""

from __future__ import annotations

from typing import Any

import pytest
from seed_tables import DOCUMENTED_ENUMS, TABLES
from table_check import FIGURES, enum_at, problems


def test_the_seed_has_55_tables_with_187_fields_and_38_enum_values() -> None:
    assert [t.number for t in TABLES] == list(range(1, 56))
    assert sum(len(t.fields) for t in TABLES) == 187
    assert sum(len(v) for v in DOCUMENTED_ENUMS.values()) == 38


@pytest.mark.parametrize("table", TABLES, ids=lambda t: f"tabla{t.number:02d}-{t.title}")
def test_table_is_encoded_in_the_spec(spec: dict[str, Any], table: Any) -> None:
    assert problems(spec, table) == []
    FIGURES["tables matched"] = FIGURES.get("tables matched", 0) + 1
    FIGURES["fields matched"] = FIGURES.get("fields matched", 0) + len(table.fields)


@pytest.mark.parametrize("path", sorted(DOCUMENTED_ENUMS))
def test_documented_enum_values_are_in_the_spec(spec: dict[str, Any], path: str) -> None:
    documented = DOCUMENTED_ENUMS[path]
    assert set(documented) <= set(enum_at(spec, path))
    FIGURES["enum values matched"] = FIGURES.get("enum values matched", 0) + len(documented)


def test_a_missing_field_is_reported(spec: dict[str, Any]) -> None:
    del spec["components"]["schemas"]["JobMetadata"]["properties"]["create_time"]
    assert problems(spec, TABLES[3]) == ["Tabla 4: $.metadata.create_time is missing"]


def test_a_mistyped_field_is_reported(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Status"]["properties"]["duration"] = {"type": "string"}
    assert problems(spec, TABLES[4]) == [
        "Tabla 5: $.status.duration: expected integer, spec admits ['string']"
    ]


def test_a_long_without_int64_is_reported(spec: dict[str, Any]) -> None:
    del spec["components"]["schemas"]["JobMetadata"]["properties"]["create_time"]["format"]
    assert problems(spec, TABLES[3]) == [
        "Tabla 4: $.metadata.create_time: expected format int64 for a Long"
    ]


def test_an_object_in_the_wrong_place_is_reported(spec: dict[str, Any]) -> None:
    # Tabla 28 hangs as a single object; an array there is another shape.
    task_algorithm = spec["components"]["schemas"]["TaskAlgorithm"]["properties"]
    task_algorithm["inputs"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/TaskInput"},
    }
    assert problems(spec, TABLES[26]) == [
        "Tabla 27: $.tasks[].algorithm.inputs: expected object, spec admits ['array']"
    ]
    assert problems(spec, TABLES[27])[0].startswith("Tabla 28: $.tasks[].algorithm.inputs")


def test_a_map_typed_as_plain_object_is_reported(spec: dict[str, Any]) -> None:
    del spec["components"]["schemas"]["JobMetadata"]["properties"]["annotations"][
        "additionalProperties"
    ]
    assert problems(spec, TABLES[3]) == [
        "Tabla 4: $.metadata.annotations: expected an object with additionalProperties (a map)"
    ]


def test_an_optional_path_parameter_is_reported(spec: dict[str, Any]) -> None:
    spec["components"]["parameters"]["TrainingJobId"]["required"] = False
    found = problems(spec, TABLES[0])
    assert len(found) == 2 and all("training_job_id is not required" in p for p in found)


def test_a_dropped_enum_value_is_reported(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["SearchParameter"]["properties"]["param_type"]["enum"] = [
        "continuous",
        "discrete",
    ]
    path = "$.algorithm.policies.auto_search.search_params[].param_type"
    assert not set(DOCUMENTED_ENUMS[path]) <= set(enum_at(spec, path))
