"""A fingerprint of everything that decides a suggestion: the rules and reader code and data, and the intent
model. A resumed run must use the same engine as the run it continues, or its output would mix two."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

from nlp.intent_model import default_model_dir

ENGINE_PACKAGES = ("rules", "nlp")
ENGINE_SUFFIXES = (".py", ".json", ".csv", ".txt", ".joblib")


@cache
def engine_fingerprint() -> str:
    digest = hashlib.sha256()
    roots = [Path(str(resources.files(package))) for package in ENGINE_PACKAGES] + [default_model_dir()]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in ENGINE_SUFFIXES):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
