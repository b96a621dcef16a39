"""The small pieces of batch: row conversion, the tally's ranking of gaps, the progress bar on a terminal."""

import datetime as dt
import io

import pytest

from api.batch import BatchUsageError
from api.batch.mapping import ColumnMapping, note_from_record
from api.batch.progress import Progress
from api.batch.tally import Tally
from rules.errors import NoteError
from tests.batch_support import batch, coded_notes, write_jsonl

RUN_DATE = dt.date(2026, 3, 2)


def test_csv_strings_become_typed_note_fields():
    record = {"ENC": "17", "text": "Ther ex 15 min.", "icd10": " M54.50 | S42.201D;",
              "ytd_therapy_charges": "$2,410.50", "total_treatment_minutes": " 45 ", "payer": "", "services": "",
              "unrelated": "x"}
    raw = note_from_record(record, ColumnMapping.build(id_column="ENC"), RUN_DATE)
    assert raw == {"id": "17", "text": "Ther ex 15 min.", "icd10": ["M54.50", "S42.201D"],
                   "ytd_therapy_charges": 2410.5, "total_treatment_minutes": 45, "date_of_service": "2026-03-02"}


def test_parquet_values_keep_their_types_and_dates_become_iso():
    record = {"id": 5, "text": b"Ther ex 15 min.", "date_of_service": dt.datetime(2025, 1, 31, 9, 30),
              "icd10": ["M54.50"], "total_treatment_minutes": 30.0}
    raw = note_from_record(record, ColumnMapping(), RUN_DATE)
    assert raw["id"] == "5" and raw["text"] == "Ther ex 15 min." and raw["date_of_service"] == "2025-01-31"
    assert raw["total_treatment_minutes"] == 30


@pytest.mark.parametrize("record, field", [
    ({"id": "a", "text": "x", "total_treatment_minutes": "45.5"}, "total_treatment_minutes"),
    ({"id": "a", "text": "x", "ytd_therapy_charges": "lots"}, "ytd_therapy_charges"),
    ({"id": "a", "services": "[{cpt"}, "services"),
    ({"id": "a", "text": b"\xff\xfe"}, "text"),
    ({"text": "Ther ex 15 min."}, "id"),
])
def test_a_bad_cell_names_its_field(record, field):
    with pytest.raises(NoteError) as error:
        note_from_record(record, ColumnMapping(), RUN_DATE)
    assert error.value.field == field


def test_the_gaps_are_the_most_serious_notes_first_and_bounded():
    tally = Tally(top=3)
    counts = [(0, 1), (2, 0), (1, 3), (2, 0), (0, 0), (1, 3), (0, 5)]
    for index, (errors, warnings) in enumerate(counts):
        findings = [{"code": "E", "severity": "error"}] * errors + [{"code": "W", "severity": "warning"}] * warnings
        tally.add({"id": f"n{index}", "lines": [], "warnings": findings + [{"code": "I", "severity": "info"}]})
    assert [gap.note_id for gap in tally.gaps()] == ["n1", "n3", "n2"]  # ties keep input order
    assert tally.by_severity() == {"error": 6, "warning": 12, "info": 7}


def test_on_a_terminal_progress_is_a_bar_with_rate_and_time_left():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    progress = Progress(size=1000, stream=screen)
    progress.advance(notes=50, failed=1, span=250)
    progress.close()
    assert progress.bar is not None
    assert "50 notes (1 failed)" in screen.getvalue() and "notes/s" in screen.getvalue()
    assert "left" in screen.getvalue()


def test_dask_needs_parquet_and_a_parquet_file_must_be_one(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", coded_notes(3))
    with pytest.raises(BatchUsageError, match="--dask: reads Parquet input"):
        batch(source, tmp_path / "out.parquet", dask="local")
    (tmp_path / "in.parquet").write_text("id,text\n")
    with pytest.raises(BatchUsageError, match="not a readable Parquet file"):
        batch(tmp_path / "in.parquet", tmp_path / "out.parquet")


def test_the_output_cannot_be_the_input(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", coded_notes(3))
    with pytest.raises(BatchUsageError, match="is the input file"):
        batch(source, source)
    assert len(source.read_text().splitlines()) == 3


def test_failures_are_counted_by_field_without_row_numbers():
    tally = Tally()
    for error in ["line 3: not valid JSON (x)", "line 9: not valid JSON (y)", "services.0.minutes: bad",
                  "services.4.minutes: bad", "text (column NOTE_TEXT): the note is empty"]:
        tally.add({"id": None, "line": 1, "error": error})
    assert dict(tally.failures_by_field) == {"line N": 2, "services.N.minutes": 2, "text": 1}


def test_the_summary_counts_notes_for_review_by_reason_without_their_figures():
    from api.batch.run import BatchResult
    from api.batch.summary import summary_lines

    tally = Tally()
    base = {"lines": [], "warnings": []}
    tally.add({**base, "id": "a", "review": ["the minutes read (10) are well under the stated total (45)"]})
    tally.add({**base, "id": "b", "review": ["the minutes read (20) are well under the stated total (50)",
                                             "a line's code is uncertain"]})
    tally.add({**base, "id": "c", "review": []})
    tally.add({"id": "d", "line": 4, "error": "text: not a string"})
    assert tally.to_review == 2
    assert tally.review_reasons == {"the minutes read (N) are well under the stated total (N)": 2,
                                    "a line's code is uncertain": 1}
    text = "\n".join(summary_lines(BatchResult(tally, ["out.jsonl"], "out.html", 1.0)))
    assert "for a coder's review: 2 notes (67%)" in text
