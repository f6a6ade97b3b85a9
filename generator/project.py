"""Write a rendered project to disk atomically, or compare it with what is on disk."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

#: Build and install leftovers beside the rendered files; they survive a regeneration.
KEPT = ("*.egg-info", "build", "dist")


def write_project(files: Mapping[str, str], target: Path) -> None:
    """Replace ``target`` with ``files``, leaving it untouched if writing fails half-way.

    The files are written to a temporary folder beside ``target`` (same file system, so the
    final renames are atomic), which then takes ``target``'s place.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        _write(files, staging)
        if target.exists():
            _keep_times_of_unchanged(files, target, staging)
            for pattern in KEPT:
                for kept in target.glob(pattern):
                    kept.rename(staging / kept.name)
            retired = target.with_name(f".{target.name}.old-{staging.name.rsplit('-', 1)[-1]}")
            target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired)
        else:
            staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def diff_project(files: Mapping[str, str], target: Path) -> str:
    """A unified diff from ``target`` to a fresh render of ``files``; empty when they are the same.

    The render is written to a temporary folder first and compared file by file as bytes, so
    the check sees exactly what ``write_project`` would leave on disk.
    """
    with tempfile.TemporaryDirectory(prefix="generated-check-") as scratch:
        fresh = Path(scratch)
        _write(files, fresh)
        rendered = {path: (fresh / path).read_bytes() for path in _tracked(fresh)}
    on_disk = {path: (target / path).read_bytes() for path in _tracked(target)}
    chunks = []
    for path in sorted(set(on_disk) | set(rendered)):
        old, new = on_disk.get(path), rendered.get(path)
        if old != new:
            chunks.extend(
                difflib.unified_diff(
                    _lines(old),
                    _lines(new),
                    fromfile=f"a/{path}" if old is not None else "/dev/null",
                    tofile=f"b/{path}" if new is not None else "/dev/null",
                )
            )
    return "".join(chunks)


def _write(files: Mapping[str, str], root: Path) -> None:
    for path, content in files.items():
        destination = root / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        # newline="" keeps "\n" on every platform, so the bytes do not depend on the OS.
        destination.write_text(content, encoding="utf-8", newline="")


def _keep_times_of_unchanged(files: Mapping[str, str], old: Path, new: Path) -> None:
    # make compares modification times: a file rendered identically keeps its old time, so
    # regenerating does not look like a change of generated/pyproject.toml to `make setup`.
    for path in files:
        before, after = old / path, new / path
        if before.is_file() and before.read_bytes() == after.read_bytes():
            stat = before.stat()
            os.utime(after, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _tracked(root: Path) -> Iterator[str]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not _ignored(relative):
            yield relative.as_posix()


def _ignored(relative: Path) -> bool:
    parts = relative.parts
    return any(part == "__pycache__" or part.endswith(".egg-info") for part in parts) or parts[
        0
    ] in ("build", "dist")


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    try:
        return content.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return ["<binary file>\n"]
