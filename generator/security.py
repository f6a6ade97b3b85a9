"""The document's security schemes as the auth classes the package offers.

Each scheme becomes one :class:`httpx.Auth` class: an API key in a header, query parameter or
cookie; an HTTP bearer token (OAuth2 and OpenID Connect too: the caller obtains the token);
HTTP basic. A scheme with ``x-signature: {algorithm: SDK-HMAC-SHA256}`` is request signing with
an access key / secret key pair, as Huawei Cloud's SDKs sign. ``x-python-name`` on a scheme
chooses its class name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from generator.ir import AuthScheme
from generator.names import BUILTIN_CLASSES, PACKAGE_CLASSES, pascal, unique
from generator.problems import SpecError, pointer

SIGNING_ALGORITHMS = ("SDK-HMAC-SHA256",)
_CLASS = re.compile(r"[A-Z][A-Za-z0-9]*")
_HEADER = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
#: Headers the HTTP client derives from the URL and the body: a ``Host`` of the document's own
#: would send the request to another virtual host.
TRANSPORT_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
#: Names the auth module imports or defines itself; ``Project`` and ``Date`` would name their
#: key's constant ``PROJECT_HEADER`` or ``DATE_HEADER``, which the signing schemes use.
_TAKEN = ("Auth", "UTC", "Callable", "Generator", "Project", "ProjectAuth", "Date", "DateAuth")


def auth_schemes(
    document: Mapping[str, Any], errors: list[SpecError], reserved: Iterable[str] = ()
) -> tuple[AuthScheme, ...]:
    """One :class:`AuthScheme` per supported security scheme, in the document's order, named
    apart from the package's own classes and ``reserved`` (its base error)."""
    components = document.get("components")
    raw = components.get("securitySchemes") if isinstance(components, Mapping) else None
    taken = [*_TAKEN, *PACKAGE_CLASSES, *BUILTIN_CLASSES, *reserved]
    result = []
    for key, scheme in sorted(
        raw.items() if isinstance(raw, Mapping) else [], key=lambda item: str(item[0])
    ):
        where = pointer("components", "securitySchemes", str(key))
        if not isinstance(scheme, Mapping):
            errors.append(SpecError(where, "expected a mapping"))
            continue
        found = _scheme(str(key), scheme, where, errors, taken)
        if found is not None:
            taken.append(found.class_name)
            result.append(found)
    return tuple(result)


def _scheme(
    key: str, scheme: Mapping[str, Any], where: str, errors: list[SpecError], taken: list[str]
) -> AuthScheme | None:
    kind, location, wire_name, project_header = _kind(scheme, where, errors)
    if kind is None:
        return None
    chosen = scheme.get("x-python-name")
    if chosen is not None and not (isinstance(chosen, str) and _CLASS.fullmatch(chosen)):
        errors.append(SpecError(f"{where}/x-python-name", "must be a CamelCase class name"))
        chosen = None
    if chosen is None:
        stem = re.sub(r"(?i)[_\W]*auth$", "", key) or key
        chosen = pascal(stem, "Scheme") + "Auth"
    return AuthScheme(
        key=key,
        class_name=unique(chosen, taken),
        kind=kind,
        location=location,
        wire_name=wire_name,
        description=str(scheme.get("description", "")).strip(),
        project_header=project_header,
    )


def _kind(
    scheme: Mapping[str, Any], where: str, errors: list[SpecError]
) -> tuple[str | None, str, str, str | None]:
    signature = scheme.get("x-signature")
    if signature is not None:
        algorithm = signature.get("algorithm") if isinstance(signature, Mapping) else None
        if algorithm not in SIGNING_ALGORITHMS:
            errors.append(
                SpecError(
                    f"{where}/x-signature/algorithm", f"supported: {', '.join(SIGNING_ALGORITHMS)}"
                )
            )
            return None, "", "", None
        header = signature.get("project-header")
        if header is not None and not (isinstance(header, str) and _HEADER.fullmatch(header)):
            errors.append(
                SpecError(f"{where}/x-signature/project-header", "expected a header name")
            )
            header = None
        elif isinstance(header, str) and header.lower() in TRANSPORT_HEADERS:
            errors.append(
                SpecError(
                    f"{where}/x-signature/project-header", "a header the HTTP client sets itself"
                )
            )
            header = None
        return "sdk_hmac_sha256", "header", "Authorization", header
    kind = scheme.get("type")
    if kind == "apiKey":
        location, name = scheme.get("in"), scheme.get("name")
        if location not in ("header", "query", "cookie") or not isinstance(name, str) or not name:
            errors.append(
                SpecError(where, "an apiKey scheme needs 'in' (header, query, cookie) and 'name'")
            )
            return None, "", "", None
        if location == "header" and not _HEADER.fullmatch(name):
            errors.append(SpecError(f"{where}/name", "not a header name"))
            return None, "", "", None
        if location == "header" and name.lower() in TRANSPORT_HEADERS:
            errors.append(SpecError(f"{where}/name", "a header the HTTP client sets itself"))
            return None, "", "", None
        return "api_key", str(location), name, None
    if kind == "http":
        http_scheme = str(scheme.get("scheme", "")).lower()
        if http_scheme == "basic":
            return "basic", "header", "Authorization", None
        return "bearer", "header", "Authorization", None
    if kind in ("oauth2", "openIdConnect"):
        return "bearer", "header", "Authorization", None
    # mutualTLS and unknown kinds are transport settings the caller gives httpx directly.
    return None, "", "", None
