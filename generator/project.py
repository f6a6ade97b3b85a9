"""Write a rendered project to disk atomically, or compare it with what is on disk.

The generator replaces only what it made: every folder it writes holds :data:`MANIFEST`, the list
of the files it wrote. A folder without one, or with files it does not list (apart from what
Python and pip leave beside them), is refused and left untouched.
"""

from __future__ import annotations

import difflib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

#: Build and install leftovers beside the rendered files; they survive a regeneration.
KEPT = ("*.egg-info", "build", "dist")
#: Caches that tools write beside the rendered files, anywhere in the tree: recreated on demand.
CACHES = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})
#: The file that marks a folder as the generator's own, listing the files it wrote there.
MANIFEST = ".generator-manifest"
MANIFEST_HEADER = (
    "# Written by `python -m generator`, which replaces this folder on every run and refuses to\n"
    "# touch it if it holds a file not listed here. Do not edit; do not add files.\n"
)


class OutputRefused(Exception):
    """The output path is not the generator's to replace: a file, or a folder of other files."""


def with_manifest(files: Mapping[str, str]) -> dict[str, str]:
    """``files`` plus the manifest that lists them, so that the next run may replace them."""
    listing = "".join(f"{path}\n" for path in sorted(files))
    return {**files, MANIFEST: MANIFEST_HEADER + listing}


def check_target(target: Path) -> None:
    """Raise :class:`OutputRefused` unless ``target`` is new, empty, or the generator's own."""
    try:
        _check_target(target)
    except OSError as error:
        raise OutputRefused(f"{target} cannot be read: {error.strerror or error}") from None


def _check_target(target: Path) -> None:
    if not target.exists():
        if target.is_symlink():
            raise OutputRefused(f"{target} is a symbolic link to nothing")
        return
    if not target.is_dir():
        raise OutputRefused(f"{target} is not a folder")
    if not any(target.iterdir()):
        return
    manifest = target / MANIFEST
    try:
        text = manifest.read_text(encoding="utf-8") if not manifest.is_symlink() else ""
    except (OSError, UnicodeDecodeError):
        text = ""
    if not text.startswith(MANIFEST_HEADER):
        raise OutputRefused(
            f"{target} is not a folder the generator made (no {MANIFEST}): "
            "choose a new or empty folder"
        )
    listed = {line for line in text[len(MANIFEST_HEADER) :].splitlines() if line}
    foreign = _foreign(target, listed | {MANIFEST})
    if foreign:
        shown = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise OutputRefused(f"{target} holds files the generator did not write: {shown}")


def write_project(files: Mapping[str, str], target: Path) -> None:
    """Replace ``target`` with ``files``, leaving it untouched if writing fails half-way.

    The files are written to a new folder beside ``target`` (same file system, so the final
    renames are atomic), which then takes ``target``'s place. :class:`OutputRefused` (before
    anything is written) when :func:`check_target` refuses ``target``.
    """
    target = target.resolve()
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _new_sibling(target, "new")
    try:
        _write(files, staging)
        if target.exists():
            _keep_times_of_unchanged(files, target, staging)
            retired = _new_sibling(target, "old")
            retired.rmdir()
            target.rename(retired)
            try:
                staging.rename(target)
            except OSError:
                retired.rename(target)
                raise
            for pattern in KEPT:
                for kept in retired.glob(pattern):
                    kept.rename(target / kept.name)
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
    chunks: list[str] = []
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


def _new_sibling(target: Path, kind: str) -> Path:
    # A plain mkdir, not tempfile.mkdtemp: the folder that becomes the output gets the
    # permissions the user's umask gives any new folder, not mkdtemp's owner-only 0700.
    while True:
        candidate = target.with_name(f".{target.name}.{kind}-{secrets.token_hex(4)}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate


def _foreign(root: Path, listed: set[str]) -> list[str]:
    """Paths under ``root`` that are neither listed, nor their folders, nor known leftovers."""
    folders = {parent.as_posix() for path in listed for parent in Path(path).parents}
    found = []
    for top, dirs, names in os.walk(root):
        base = Path(top).relative_to(root)
        for name in sorted(dirs):
            relative = (base / name).as_posix()
            leftover = name in CACHES or (base == Path(".") and _kept(name))
            if leftover or (relative in folders and not (Path(top) / name).is_symlink()):
                continue
            found.append(relative + "/")
        # Only the generator's own folders are searched further.
        dirs[:] = [name for name in dirs if (base / name).as_posix() in folders]
        found.extend(
            relative
            for name in sorted(names)
            if (relative := (base / name).as_posix()) not in listed
        )
    return sorted(found)


def _kept(name: str) -> bool:
    return any(Path(name).match(pattern) for pattern in KEPT)


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
