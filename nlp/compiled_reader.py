"""The optional compiled reader (`make compiled`, `tools/compile_reader.py`): used only while it is current.

mypyc compiles the reader's hot modules into `build/compiled_reader/`, never next to the `.py` files, and writes
there a manifest: the SHA-256 of every source file of the `nlp` and `rules` packages and the Python it was
built for. On import, `nlp` puts that folder ahead of its own on its search path only if the manifest matches
the sources as they are now; after any edit (or for another Python) the build is ignored and the pure-Python
modules run, until it is rebuilt. NOTECODE_PURE_PYTHON=1 ignores it anyway (the tests set it).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from pathlib import Path

PURE_PYTHON_ENV = "NOTECODE_PURE_PYTHON"
BUILD_FOLDER = Path("build") / "compiled_reader"
MANIFEST = "manifest.json"
# every package whose code the compiled modules were built against: mypyc reads their types and may rely on them
SOURCE_PACKAGES = ("nlp", "rules")


def python_tag() -> str:
    """The interpreter a build is for: its extension modules load into this one only."""
    return f"{sys.implementation.cache_tag}-{sysconfig.get_platform()}"


def source_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of each source file of SOURCE_PACKAGES under `root`, by path relative to it."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for package in SOURCE_PACKAGES for path in sorted((root / package).rglob("*.py"))}


def write_manifest(root: Path, hashes: dict[str, str]) -> None:
    manifest = {"python": python_tag(), "sources": hashes}
    (root / BUILD_FOLDER / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def current_build(root: Path) -> Path | None:
    """The build folder if it holds a build of exactly the sources under `root`, for this Python; else None."""
    folder = root / BUILD_FOLDER
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("python") != python_tag():
        return None
    return folder if manifest.get("sources") == source_hashes(root) else None


def use_compiled_reader(package_path: list[str]) -> bool:
    """Called by `nlp/__init__.py` with its `__path__`: the compiled modules come first if they are current."""
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return False
    root = Path(package_path[0]).resolve().parent
    folder = current_build(root)
    if folder is None:
        return False
    package_path.insert(0, str(folder / "nlp"))
    sys.path.append(str(folder))  # the library the compiled modules share is a top-level module there
    return True
