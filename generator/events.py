"""Where a ``text/event-stream`` answer declares the schema of its events' data.

Documents say it two ways. OpenAI's (and most written before OpenAPI 3.2) put the schema of one
event's ``data``, decoded as JSON, as the media type's ``schema``; a ``schema`` of ``type:
string`` (or none) only says the stream is text. OpenAPI 3.2 describes each event with
``itemSchema``, an object whose ``data`` property carries the JSON schema as ``contentSchema``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

EVENT_STREAM = "text/event-stream"
Resolve = Callable[[Any, str], dict[str, Any]]


def event_data_schema(media: Mapping[str, Any], resolve: Resolve, at: str) -> tuple[Any, str]:
    """The schema of each event's data and its pointer below the media type (``at``); ``None``
    when the data is plain text."""
    item = media.get("itemSchema")
    if isinstance(item, Mapping):
        properties = resolve(item, f"{at}/itemSchema").get("properties")
        data = properties.get("data") if isinstance(properties, Mapping) else None
        if isinstance(data, Mapping) and "contentSchema" in data:
            return data["contentSchema"], "itemSchema/properties/data/contentSchema"
        return None, "itemSchema"
    schema = media.get("schema")
    if not isinstance(schema, Mapping) or _is_text(resolve(schema, f"{at}/schema")):
        return None, "schema"
    return schema, "schema"


def _is_text(schema: Mapping[str, Any]) -> bool:
    return not schema or schema.get("type") == "string"
