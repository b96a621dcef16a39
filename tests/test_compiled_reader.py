"""The compiled reader is used only while it was built from the very sources in place (never a stale one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp import compiled_reader
from nlp.compiled_reader import BUILD_FOLDER, current_build, source_hashes, use_compiled_reader, write_manifest


def _project(root: Path) -> Path:
    """A project with a few sources and a 'build' of them (a manifest, as tools/compile_reader.py writes last)."""
    root.mkdir(parents=True, exist_ok=True)
    for package, module in (("nlp", "blocks"), ("nlp", "layout"), ("rules", "engine")):
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").write_text("", encoding="utf-8")
        (root / package / f"{module}.py").write_text(f"NAME = {module!r}\n", encoding="utf-8")
    (root / BUILD_FOLDER / "nlp").mkdir(parents=True)
    write_manifest(root, source_hashes(root))
    return root


def test_a_build_of_the_sources_in_place_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    monkeypatch.delenv(compiled_reader.PURE_PYTHON_ENV, raising=False)
    monkeypatch.setattr("sys.path", [])
    path = [str(root / "nlp")]
    assert current_build(root) == root / BUILD_FOLDER
    assert use_compiled_reader(path)
    assert path == [str(root / BUILD_FOLDER / "nlp"), str(root / "nlp")]  # compiled modules first


@pytest.mark.parametrize("edit", ["nlp/layout.py", "rules/engine.py", "nlp/new_module.py"])
def test_an_edited_or_added_source_makes_the_build_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         edit: str) -> None:
    root = _project(tmp_path)
    monkeypatch.delenv(compiled_reader.PURE_PYTHON_ENV, raising=False)
    target = root / edit
    target.write_text((target.read_text(encoding="utf-8") if target.exists() else "") + "# edited\n",
                      encoding="utf-8")
    path = [str(root / "nlp")]
    assert current_build(root) is None
    assert not use_compiled_reader(path) and path == [str(root / "nlp")]  # the pure-Python modules run


def test_a_removed_source_or_manifest_or_another_python_makes_the_build_unused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    (root / "nlp" / "blocks.py").unlink()
    assert current_build(root) is None
    root = _project(tmp_path / "again")
    monkeypatch.setattr(compiled_reader, "python_tag", lambda: "cpython-312-linux-x86_64")
    assert current_build(root) is None
    monkeypatch.undo()
    (root / BUILD_FOLDER / compiled_reader.MANIFEST).write_text("not json", encoding="utf-8")
    assert current_build(root) is None


def test_the_pure_python_switch_wins_over_a_current_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    monkeypatch.setenv(compiled_reader.PURE_PYTHON_ENV, "1")
    path = [str(root / "nlp")]
    assert not use_compiled_reader(path) and path == [str(root / "nlp")]


def test_the_tests_themselves_read_with_the_pure_python_modules() -> None:
    import nlp.blocks

    assert all(Path(entry).name == "nlp" and Path(entry).parent.name != "compiled_reader" for entry in nlp.__path__)
    assert nlp.blocks.__file__ is not None and nlp.blocks.__file__.endswith(".py")
