"""Many simultaneous requests get exactly the answers they get one at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from conftest import load_examples
from test_http_support import client, note


def _notes() -> list[dict]:
    notes = [{k: v for k, v in example.items() if k != "expected"} for example in load_examples()]
    return [*notes, note()]


def test_simultaneous_requests_equal_sequential_ones():
    notes = _notes()
    with client() as http:
        sequential = [http.post("/v1/suggest", json=n).json() for n in notes]
        batch_sequential = http.post("/v1/suggest/batch", json={"notes": notes}).json()

        def ask(index: int) -> tuple[int, object]:
            if index % 5 == 4:
                return -1, http.post("/v1/suggest/batch", json={"notes": notes}).json()
            position = index % len(notes)
            return position, http.post("/v1/suggest", json=notes[position]).json()

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(ask, range(80)))
    assert len(answers) == 80
    for position, answer in answers:
        assert answer == (batch_sequential if position == -1 else sequential[position])
