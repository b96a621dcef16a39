"""Nothing lost: a run killed with -9, stopped by a full disk, or interrupted restarts with --resume and
gives exactly the output of an uninterrupted run, byte for byte."""

import errno
import os
import signal
import subprocess
import time

import pytest

from api.batch import BatchStopped, BatchUsageError, ColumnMapping
from api.batch import checkpoint as checkpoint_module
from api.batch import run as run_module
from api.batch import writers as writers_module
from tests.batch_support import annotated_notes, batch, coded_notes, write_jsonl


def parts(work):
    return sorted(work.glob("part-*.jsonl")) if work.exists() else []


def _ctrl_c_delivered() -> None:
    """A user's Ctrl-C reaches the batch even when this test runs where SIGINT is ignored (a shell's background
    job): without this the child inherits the ignored signal and Python never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# enough chunks that the run is still going when the signal lands: the reader does ~250 notes/s, so 200 notes
# were sometimes all done (and the run exited 1 for its broken row) between the third part and the signal
NOTES, CHUNK = 600, 10


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill -9", "Ctrl-C"])
def test_interrupted_then_resume_gives_the_uninterrupted_output(cli, tmp_path, how):
    source = write_jsonl(tmp_path / "in.jsonl", annotated_notes(NOTES, "dev2") + ["{not json"])
    reference = tmp_path / "reference.jsonl"  # an uninterrupted run of the same command
    subprocess.run([cli, "batch", str(source), "-o", str(reference), "-j", "1", "--chunk-rows", str(CHUNK)],
                   capture_output=True, timeout=300)
    target, work = tmp_path / "out.jsonl", tmp_path / ".out.jsonl.parts"
    process = subprocess.Popen([cli, "batch", str(source), "-o", str(target), "-j", "1", "--chunk-rows", str(CHUNK)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_ctrl_c_delivered)
    deadline = time.monotonic() + 90
    while len(parts(work)) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, how)
    _, stderr = process.communicate(timeout=60)
    if how == signal.SIGINT:
        assert process.returncode == 130 and "interrupted; finished chunks are kept" in stderr
        assert "Traceback" not in stderr
    done_before = len(parts(work))
    assert 3 <= done_before < NOTES // CHUNK + 1 and not target.exists()

    resumed = subprocess.run([cli, "batch", str(source), "-o", str(target), "-j", "1", "--chunk-rows", str(CHUNK),
                              "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr  # the one broken row
    assert f"{done_before * CHUNK:,} from the earlier run" in resumed.stderr
    assert target.read_bytes() == reference.read_bytes()
    assert not work.exists()


@pytest.mark.parametrize("where", ["part", "output"])
def test_full_disk_stops_the_run_and_resume_is_exact(tmp_path, monkeypatch, where):
    source = write_jsonl(tmp_path / "in.jsonl", coded_notes(50) + annotated_notes(10))
    reference = tmp_path / "reference.csv"
    batch(source, reference, chunk_rows=7)
    target = tmp_path / "out.csv"
    calls = {"n": 0}

    def disk_fills(real):
        def write(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 4:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(*args, **kwargs)
        return write

    if where == "part":  # the fourth chunk cannot be saved
        monkeypatch.setattr(checkpoint_module, "write_atomically", disk_fills(checkpoint_module.write_atomically))
    else:  # every chunk is saved; writing the final CSV fails part way
        writer = writers_module.csv.DictWriter
        monkeypatch.setattr(writer, "writerow", disk_fills(writer.writerow))
    with pytest.raises(BatchStopped, match="No space left on device"):
        batch(source, target, chunk_rows=7)
    assert not target.exists() and not list(tmp_path.glob(".out.csv.tmp-*"))
    monkeypatch.undo()

    batch(source, target, chunk_rows=7, resume=True)
    for name in ("out.csv", "out.warnings.csv", "out.errors.csv"):
        assert (tmp_path / name).read_bytes() == (tmp_path / name.replace("out", "reference")).read_bytes()


def test_resume_is_refused_when_the_input_or_options_changed(tmp_path, monkeypatch):
    source = write_jsonl(tmp_path / "in.jsonl", coded_notes(30))
    target = tmp_path / "out.jsonl"
    monkeypatch.setattr(checkpoint_module, "write_atomically", _fail_after(checkpoint_module.write_atomically, 3))
    with pytest.raises(BatchStopped):
        batch(source, target, chunk_rows=5)
    monkeypatch.undo()
    with pytest.raises(BatchUsageError, match="options changed since the unfinished run \\(chunk_rows\\)"):
        batch(source, target, chunk_rows=6, resume=True)
    with pytest.raises(BatchUsageError, match="options changed .*\\(mapping\\)"):
        batch(source, target, chunk_rows=5, resume=True, mapping=ColumnMapping.build(id_column="ENC"))
    monkeypatch.setattr(run_module, "engine_fingerprint", lambda: "another-model")
    with pytest.raises(BatchUsageError, match="notecode's engine \\(code, rule data or model\\) changed"):
        batch(source, target, chunk_rows=5, resume=True)
    monkeypatch.undo()
    write_jsonl(source, coded_notes(31))
    with pytest.raises(BatchUsageError, match="the input file changed since the unfinished run"):
        batch(source, target, chunk_rows=5, resume=True)


def test_a_new_run_discards_an_unfinished_one_and_says_so(cli, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", coded_notes(12))
    work = tmp_path / ".out.jsonl.parts"
    work.mkdir()
    (work / "part-00000000.jsonl").write_text('{"id": "stale"}\n')
    result = subprocess.run([cli, "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--chunk-rows", "5",
                             "-j", "1"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "discarding the unfinished run" in result.stderr and "stale" not in (tmp_path / "out.jsonl").read_text()
    assert not work.exists()


def _fail_after(real, good_calls):
    calls = {"n": 0}

    def write(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > good_calls:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)
    return write
