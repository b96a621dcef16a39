import json
import os
from pathlib import Path

import pytest

# the tests read with the pure-Python modules even where a compiled reader is built (`nlp/compiled_reader.py`);
# set before anything imports `nlp`, and inherited by the commands the tests run
os.environ.setdefault("NOTECODE_PURE_PYTHON", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = SHARED / "contract" / "examples" / "examples.jsonl"


def load_examples():
    return [json.loads(line) for line in EXAMPLES.read_text().splitlines() if line.strip()]


@pytest.fixture
def cli():
    """The installed console script (the same one the README's `make run` uses)."""
    venv_cli = ROOT / ".venv" / "bin" / "notecode"
    return str(venv_cli) if venv_cli.exists() else "notecode"


@pytest.fixture(autouse=True)
def _no_stray_rule_dirs(monkeypatch):
    for name in ("NOTECODE_NCCI_DIR", "NOTECODE_PAYERS_DIR"):
        if name in os.environ:
            monkeypatch.delenv(name)


@pytest.fixture(scope="session", autouse=True)
def _review_db_outside_the_work_tree(tmp_path_factory):
    """create_app() opens the review database at start-up: tests keep it in a temporary folder."""
    os.environ["NOTECODE_REVIEW_DB"] = str(tmp_path_factory.mktemp("review") / "review.db")
