"""The rules engine and the reader type-check under `mypy --strict` (about 5 s from a cold cache).

Strict types are part of the reader's contract, not only a lint: the optional compiled build
(`tools/compile_reader.py`) enforces annotations at run time, so a wrong one would fail there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rules_and_nlp_pass_mypy_strict(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "rules", "nlp"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
