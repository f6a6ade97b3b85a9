"""Who the generated package is: its import name, distribution name, version and base error class.

Read from a generator config file (TOML), overridden by ``--package-name`` and
``--package-version``; without either the names come from the document's ``info.title`` and the
version from ``info.version``. Only the package's identity goes here: facts about the API itself
(error envelope, client-level parameters, signing) are ``x-`` extensions in the document.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.distribution import pep440
from generator.error_catalog import FIXED_CLASSES
from generator.names import BUILTIN_CLASSES, PACKAGE_CLASSES, snake
from generator.problems import SpecError, SpecProblems

#: The keys a config file may hold.
KEYS = ("package-name", "distribution-name", "base-error-name", "package-version")
#: The longest package name derived from a title.
MAX_DERIVED_NAME = 40
_PACKAGE = re.compile(r"[a-z_][a-z0-9_]*")
_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
_CLASS = re.compile(r"[A-Z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class PackageConfig:
    """The names a config file or the command line chose; ``None`` means derive it."""

    package_name: str | None = None
    distribution_name: str | None = None
    base_error_name: str | None = None
    #: A PEP 440 version; ``None``: the document's ``info.version``.
    package_version: str | None = None


@dataclass(frozen=True)
class Identity:
    """The names the generated package is rendered with."""

    package: str
    distribution: str
    base_error: str


def read_config(path: Path) -> PackageConfig:
    """The config file at ``path``; :class:`SpecProblems` names what is wrong with it."""
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SpecProblems(source, [SpecError("", f"cannot read: {error.strerror}")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SpecProblems(source, [SpecError("", f"not TOML: {error}")]) from None
    unknown = sorted(set(raw) - set(KEYS))
    problems = [SpecError(f"/{key}", "unknown key") for key in unknown]
    problems += [
        SpecError(f"/{key}", "must be a string")
        for key in KEYS
        if key in raw and not isinstance(raw[key], str)
    ]
    if problems:
        raise SpecProblems(source, problems)
    config = PackageConfig(
        raw.get("package-name"),
        raw.get("distribution-name"),
        raw.get("base-error-name"),
        raw.get("package-version"),
    )
    check_config(config, source)
    return config


def check_config(config: PackageConfig, source: str) -> None:
    """Refuse a chosen name that is not what it names: :class:`SpecProblems`."""
    problems = []
    name = config.package_name
    if name is not None and (not _PACKAGE.fullmatch(name) or keyword.iskeyword(name)):
        problems.append(SpecError("/package-name", "must be a lower-case Python module name"))
    distribution, base_error = config.distribution_name, config.base_error_name
    if distribution is not None and not _DISTRIBUTION.fullmatch(distribution):
        problems.append(SpecError("/distribution-name", "must be a valid distribution name"))
    if base_error is not None and not _CLASS.fullmatch(base_error):
        problems.append(SpecError("/base-error-name", "must be a CamelCase class name"))
    elif base_error in {*PACKAGE_CLASSES, *BUILTIN_CLASSES, *FIXED_CLASSES}:
        problems.append(SpecError("/base-error-name", f"{base_error} names another class"))
    if config.package_version is not None and pep440(config.package_version) is None:
        problems.append(SpecError("/package-version", "must be a PEP 440 version (1.2.0)"))
    if problems:
        raise SpecProblems(source, problems)


def identity(config: PackageConfig, document: Mapping[str, Any]) -> Identity:
    """The names to render with: the config's, else derived from ``info.title``."""
    info = document.get("info")
    title = info.get("title", "") if isinstance(info, Mapping) else ""
    # A title is prose: only its first words name the package, so the folder name stays short.
    derived = snake(str(title), "api")[:MAX_DERIVED_NAME].rstrip("_")
    if not derived[:1].isalpha():
        derived = f"api_{derived.lstrip('_')}".rstrip("_")
    package = config.package_name or (derived + "_" if keyword.iskeyword(derived) else derived)
    return Identity(
        package=package,
        distribution=config.distribution_name or package.replace("_", "-"),
        base_error=config.base_error_name or "APIError",
    )
