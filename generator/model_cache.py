"""A per-user cache of datamodel-code-generator's output, keyed by everything that decides it.

Importing the library and running it is two thirds of a run; its output is a pure function of
the JSON it is given, its options and templates, and the versions of it and of the libraries it
renders with. So the output is kept under the SHA-256 of all of these, and a document rendered
before (``make generate`` after a change of the client templates, ``--check`` in CI, the tests)
skips the library altogether: same bytes, as ``__pycache__`` keeps the same code. Documents whose
``$ref``s leave the document are never cached: the files or addresses they reach may change.
The cache is best effort: any problem with it means the library runs, never a failed run.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

#: Distributions whose version can change the rendered models.
_RENDERING_LIBRARIES = ("datamodel-code-generator", "pydantic", "jinja2")
#: Entries kept; the oldest beyond this are removed whenever one is added.
LIMIT = 64
_SUFFIX = ".models.py"


class ModelCache:
    """Rendered models by key, in ``folder`` (created owner-only, and only used if it is)."""

    def __init__(self, folder: Path, limit: int = LIMIT) -> None:
        self.folder = folder
        self.limit = limit

    @classmethod
    def for_user(cls) -> ModelCache | None:
        """The cache in the user's cache folder (``$XDG_CACHE_HOME``, else ``~/.cache``); none
        for a user without a home folder."""
        base = os.environ.get("XDG_CACHE_HOME")
        if not base:
            try:
                base = str(Path.home() / ".cache")
            except RuntimeError:
                return None
        return cls(Path(base) / "openapi-models-generator")

    @staticmethod
    def key(*parts: str | bytes) -> str:
        """The key of an output decided by ``parts`` and the rendering libraries' versions."""
        # Imported here: a run with --no-cache does not pay for it.
        from importlib import metadata

        digest = hashlib.sha256()
        versions = [sys.version.split()[0]]
        for name in _RENDERING_LIBRARIES:
            try:
                versions.append(f"{name}=={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{name} not installed")
        for part in [*versions, *parts]:
            data = part.encode() if isinstance(part, str) else part
            # Length-prefixed, so that no two different lists of parts hash alike.
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def get(self, key: str) -> str | None:
        """The output stored under ``key``, or ``None``."""
        if not self._private():
            return None
        try:
            return (self.folder / f"{key}{_SUFFIX}").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, code: str) -> None:
        """Store ``code`` under ``key`` (atomically), then drop the oldest entries over the limit."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self._private():
                return
            partial = self.folder / f".{key}.{os.getpid()}.tmp"
            partial.write_text(code, encoding="utf-8", newline="")
            partial.replace(self.folder / f"{key}{_SUFFIX}")
            entries = sorted(self.folder.glob(f"*{_SUFFIX}"), key=lambda path: path.stat().st_mtime)
            for old in entries[: max(len(entries) - self.limit, 0)]:
                old.unlink(missing_ok=True)
        except OSError:
            return

    def _private(self) -> bool:
        # Another user's, or a shared writable, folder could hand us code to ship: not used.
        try:
            info = self.folder.lstat()
        except OSError:
            return False
        return (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        )
