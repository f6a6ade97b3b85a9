"""Render ``models.py`` of the generated package with datamodel-code-generator's library API."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from datamodel_code_generator import DataModelType, InputFileType, PythonVersion, generate
from datamodel_code_generator.format import Formatter

from generator.problems import SpecError, SpecProblems

MODEL_TEMPLATES = Path(__file__).parent / "templates" / "models"
HEADER = '"""Pydantic models of the API, generated from its OpenAPI document: do not edit."""'

#: Every datamodel-code-generator option in one place. ``extra="allow"`` on every model and the
#: ``Enum`` template's ``_missing_`` keep what the service sends before the document knows it.
OPTIONS: dict[str, Any] = {
    "input_file_type": InputFileType.OpenAPI,
    "output_model_type": DataModelType.PydanticV2BaseModel,
    "target_python_version": PythonVersion.PY_311,
    "use_annotated": True,
    "field_constraints": True,
    "use_double_quotes": True,
    "disable_timestamp": True,
    "use_schema_description": True,
    "use_field_description": True,
    "set_default_enum_member": True,
    "extra_fields": "allow",
    "custom_template_dir": MODEL_TEMPLATES,
    "custom_file_header": HEADER,
    # The builtin formatter is pinned with the generator itself, so output stays byte-stable
    # whatever ruff or black version a maintainer has installed.
    "formatters": [Formatter.BUILTIN],
    "builtin_format_line_length": 100,
}


def render_models(document: Mapping[str, Any], source: str) -> str:
    """The source of ``models.py`` for the document's schemas, ending in a newline."""
    try:
        code = generate(json.dumps(sorted_components(document)), **OPTIONS)
    except Exception as error:  # noqa: BLE001 - the library raises many types; all mean a bad spec
        raise SpecProblems(source, [SpecError("/components/schemas", str(error))]) from None
    if not isinstance(code, str):
        raise SpecProblems(source, [SpecError("/components/schemas", "no models were generated")])
    # The library returns the code without the final newline its CLI writes.
    return code if code.endswith("\n") else code + "\n"


def sorted_components(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with each components section sorted by name.

    datamodel-code-generator emits models in input order, so sorting makes the output independent
    of how the spec's author ordered the components.
    """
    result = dict(document)
    components = document.get("components")
    if isinstance(components, dict):
        result["components"] = {
            section: dict(sorted(value.items())) if isinstance(value, dict) else value
            for section, value in sorted(components.items())
        }
    return result
