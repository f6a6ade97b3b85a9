"""The official SDK's model of the terminate answer, walked through the classes' own metadata.

Every SDK model class declares ``openapi_types`` (attribute → type spelling) and ``attribute_map``
(attribute → JSON key). The spellings are those the SDK's deserializer reads
(``huaweicloudsdkcore.client.Client._deserialize``): ``list[T]``, ``dict(str, T)``, a native name
(``int``, ``long``, ``str``, ``float``, ``bool``, ``date``, ``datetime``, ``object``,
``decimal.Decimal``) or the name of another class of the model package.
"""

from __future__ import annotations

import importlib
import re
from importlib import metadata
from types import ModuleType
from typing import Any

from . import vocabulary as v
from .errors import SdkNotInstalled
from .fields import MAX_DEPTH, Field, child_path

SDK_DISTRIBUTION = "huaweicloudsdkmodelarts"
MODEL_PACKAGE = "huaweicloudsdkmodelarts.v1.model"
#: The class the SDK deserializes the terminate operation's answer into (``stop_training_job``).
ANSWER_CLASS = "StopTrainingJobResponse"
INSTALL_COMMAND = "pip install huaweicloudsdkcore huaweicloudsdkmodelarts"

NATIVE_TYPES = {
    "int": v.INTEGER,
    "long": v.INTEGER,
    "float": v.NUMBER,
    "decimal.Decimal": v.NUMBER,
    "str": v.STRING,
    "date": v.STRING,
    "datetime": v.STRING,
    "bool": v.BOOLEAN,
    "object": v.ANY,
}
_LIST = re.compile(r"list\[(.*)\]")
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")


def load_model_package() -> ModuleType:
    """The SDK's model package, or :class:`SdkNotInstalled` naming the install command."""
    try:
        return importlib.import_module(MODEL_PACKAGE)
    except ImportError as error:
        raise SdkNotInstalled(
            f"the official SDK is not importable ({error}); install it with: {INSTALL_COMMAND}"
        ) from None


def sdk_version() -> str:
    """The installed SDK's version, from its package metadata."""
    try:
        return metadata.version(SDK_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def sdk_fields(models: ModuleType, root: str = ANSWER_CLASS) -> dict[str, Field]:
    """Every field path under the model class ``root``, keyed by path."""
    fields: dict[str, Field] = {}
    _walk_class(models, getattr(models, root), "", (root,), fields)
    return fields


def sdk_type(models: ModuleType, spelling: str) -> str:
    """The vocabulary type of an ``openapi_types`` spelling."""
    return _resolve(models, spelling)[0]


def _walk_class(
    models: ModuleType, cls: Any, path: str, stack: tuple[str, ...], fields: dict[str, Field]
) -> None:
    for attribute, spelling in cls.openapi_types.items():
        field_path = child_path(path, cls.attribute_map.get(attribute, attribute))
        type_, model, suffix = _resolve(models, spelling)
        fields[field_path] = Field(field_path, type_, spelling)
        if model is None or model.__name__ in stack or len(stack) >= MAX_DEPTH:
            continue
        _walk_class(models, model, field_path + suffix, (*stack, model.__name__), fields)


def _resolve(models: ModuleType, spelling: str) -> tuple[str, Any, str]:
    """The vocabulary type, the model class whose fields hang below (if any), their path suffix."""
    if match := _LIST.fullmatch(spelling):
        items, model, suffix = _resolve(models, match.group(1))
        return v.array_of(items), model, "[]" + suffix
    if match := _DICT.fullmatch(spelling):
        values, model, suffix = _resolve(models, match.group(2))
        return v.map_of(values), model, "{}" + suffix
    if spelling in NATIVE_TYPES:
        return NATIVE_TYPES[spelling], None, ""
    model = getattr(models, spelling, None)
    if model is None or not isinstance(getattr(model, "openapi_types", None), dict):
        # A spelling the deserializer itself would fail on: shown as is, so it stands out.
        return f"unknown({spelling})", None, ""
    if not model.openapi_types:
        # An SDK enum class: the deserializer maps a scalar onto one of its constants.
        return v.ANY, None, ""
    return v.OBJECT, model, ""
