"""The same output for any number of workers, on this machine or a Dask cluster; progress lines with counts
only."""

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from api.batch import BatchOptions, run_batch
from tests.batch_support import annotated_notes, batch, coded_notes, write_jsonl


@pytest.mark.slow
def test_two_workers_give_the_one_worker_output(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", annotated_notes(30) + coded_notes(20) + ["[1, 2]"])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    batch(source, one, chunk_rows=6, jobs=1)
    result = batch(source, two, chunk_rows=6, jobs=2)
    assert two.read_bytes() == one.read_bytes()
    assert result.tally.notes == 51 and result.tally.failed == 1


@pytest.mark.slow
def test_dask_local_cluster_gives_the_single_machine_output(tmp_path):
    notes = annotated_notes(40)
    table = pa.Table.from_pylist([{"id": n["id"], "text": n["text"], "discipline": n.get("discipline"),
                                   "icd10": n.get("icd10")} for n in notes])
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=15)
    (tmp_path / "dataset").mkdir()  # the same rows as a Dask-style folder of files, split mid row group
    pq.write_table(table.slice(0, 22), tmp_path / "dataset" / "part.0.parquet", row_group_size=15)
    pq.write_table(table.slice(22), tmp_path / "dataset" / "part.1.parquet", row_group_size=15)
    single = tmp_path / "single.parquet"
    batch(tmp_path / "in.parquet", single, chunk_rows=8, jobs=1)
    on_dask = tmp_path / "dask.parquet"
    result = batch(tmp_path / "dataset", on_dask, chunk_rows=8, jobs=2, dask="local")
    assert result.tally.notes == 40
    assert pq.read_table(on_dask).equals(pq.read_table(single))
    for name in ("dask.parquet", "dask.lines.parquet", "dask.warnings.parquet"):
        assert (tmp_path / name).read_bytes() == (tmp_path / name.replace("dask", "single")).read_bytes()


def test_plain_progress_lines_say_counts_and_never_note_text(tmp_path):
    notes = coded_notes(40)
    notes[3] = {"id": "secret-row", "text": "Quokka-Zanzibar ther ex 15 min"}  # read by the pipeline
    source = write_jsonl(tmp_path / "in.jsonl", notes)
    stream = io.StringIO()  # not a terminal: plain lines
    run_batch(BatchOptions(str(source), str(tmp_path / "out.jsonl"), jobs=1, chunk_rows=5, progress_seconds=0),
              progress_stream=stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 8 and lines[-1].startswith("batch: 100% of the input, 40 notes (0 failed)")
    assert all("notes/s" in line and " left" in line for line in lines)
    assert "Quokka" not in stream.getvalue()
