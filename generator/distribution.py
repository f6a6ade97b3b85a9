"""The metadata of the generated distribution that comes from the document: version and license.

Both are checked with ``packaging``, the library pip and setuptools read them with, so what the
generator writes is what an install accepts: a version pip can order, a license expression
setuptools (77 and later, PEP 639) builds with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.version import InvalidVersion, Version

from generator.problems import SpecError

#: The version of a package whose document gives none that PEP 440 can read: the lowest
#: release, so that any real version is an upgrade from it.
FALLBACK_VERSION = "0.0.0"
#: A version made only of numbers between dashes, dots or underscores, as dated API versions
#: are (Stripe's ``2019-08-14``): PEP 440 would read the dashes as a post-release.
_NUMBERS = re.compile(r"\d+(?:[-._]\d+)*")


@dataclass(frozen=True)
class Metadata:
    """What ``pyproject.toml`` says of the distribution beyond its name."""

    version: str
    #: An SPDX license expression, or ``None`` when the document states none.
    license: str | None
    #: The license as the document names it, when that is not an SPDX expression.
    license_name: str | None
    license_url: str | None


def pep440(text: str) -> str | None:
    """``text`` as a normalised PEP 440 version (``v1.0-beta.2`` → ``1.0b2``, ``2019-08-14``
    → ``2019.8.14``), or ``None`` when it is not one."""
    text = text.strip()
    if _NUMBERS.fullmatch(text):
        text = re.sub(r"[-_]", ".", text)
    try:
        return str(Version(text))
    except InvalidVersion:
        return None


def spdx(text: str) -> str | None:
    """``text`` as a canonical SPDX license expression, or ``None`` when it is not one."""
    try:
        return str(canonicalize_license_expression(text))
    except InvalidLicenseExpression:
        return None


def metadata(
    document: Mapping[str, Any], chosen_version: str | None
) -> tuple[Metadata, list[SpecError]]:
    """The distribution's metadata, and a warning for each fact of ``info`` it could not use.

    ``chosen_version`` (``--package-version`` or the config file's), already checked, wins over
    ``info.version``; a version PEP 440 cannot read becomes :data:`FALLBACK_VERSION`. The license
    is ``info.license.identifier``, else a ``name`` that is itself an SPDX expression (OpenAPI
    3.0 has no ``identifier``); any other name is no license metadata, only a note.
    """
    info = document.get("info")
    info = info if isinstance(info, Mapping) else {}
    warnings: list[SpecError] = []
    version = chosen_version
    if version is None:
        stated = info.get("version")
        version = pep440(stated) if isinstance(stated, str) else None
        if version is None:
            version = FALLBACK_VERSION
            warnings.append(
                SpecError(
                    "/info/version",
                    f"{stated!r} is not a PEP 440 version: the package is version "
                    f"{FALLBACK_VERSION} (--package-version sets one)",
                )
            )
    license_ = info.get("license")
    license_ = license_ if isinstance(license_, Mapping) else {}
    identifier, name, url = (license_.get(key) for key in ("identifier", "name", "url"))
    expression = None
    if isinstance(identifier, str):
        expression = spdx(identifier)
        if expression is None:
            warnings.append(
                SpecError(
                    "/info/license/identifier",
                    "not an SPDX license expression: the package states no license",
                )
            )
    elif isinstance(name, str):
        expression = spdx(name)
    return (
        Metadata(
            version=version,
            license=expression,
            license_name=name if isinstance(name, str) and expression is None else None,
            license_url=url if isinstance(url, str) else None,
        ),
        warnings,
    )
