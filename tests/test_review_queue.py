"""The queue: notes pasted, uploaded or loaded from a batch output; filters; the note page's highlighted
evidence (escaped: note text is user content)."""

from __future__ import annotations

import json
import re

from review_support import SAMPLE, WARNED_TEXT, browser, csrf, paste, running, sign_in

from api.service import suggest


def _kim(app):
    client = browser(app)
    sign_in(client, "kim")
    return client


def _upload(client, path, **files):
    return client.post(path, data={"csrf_token": csrf(client)},
                       files={name: (filename, content, "application/json")
                              for name, (filename, content) in files.items()})


def test_a_pasted_note_is_suggested_and_its_evidence_highlighted_by_code(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        note_id = paste(kim, SAMPLE["text"], note_id="sample-1", icd10="S52.501D")
        page = kim.get(f"/review/notes/{note_id}").text
        expected = suggest({**SAMPLE, "date_of_service": "2026-11-02"})
        for line in expected.lines:
            spans = re.findall(rf'<span class="ev c\d code-{line.cpt} [^"]*k-line[^"]*"[^>]*>([^<]*)<', page)
            assert "".join(spans) == line.evidence[0].text  # the line's evidence, cut into marked pieces
        assert re.search(r'class="ev c\d code-97110 k-intervention k-line k-minutes"[^>]*>18 min<', page)
        assert re.search(r'class="ev c\d code-97110 k-intervention k-line k-parameter"[^>]*>2x10<', page)
        assert re.search(r'class="ev k-measurement"[^>]*>AROM R wrist ext 0-48 deg<', page)
        assert 'data-rationale="heading rule: 97110; CMS 8-minute rule' in page
        for code in ("97018", "97110", "97530"):
            assert re.search(rf'<span class="swatch c\d" title="[^"]+">{code}</span>', page)  # the legend


def test_warnings_are_listed_with_the_span_they_refer_to(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        note_id = paste(kim, WARNED_TEXT, icd10="M62.81")
        page = kim.get(f"/review/notes/{note_id}").text
        item = re.search(r'<li class="warning w-warning" data-ref="(warn-\d+)".*?MISSING_EXERCISE_PARAMETERS.*?</li>',
                         page, re.S)
        assert item and "“Ther ex 12 min: shoulder flexion AROM”" in item.group(0)
        assert re.search(rf'<span class="ev[^"]*k-warning[^"]*" data-refs="[^"]*{item.group(1)}', page)


def test_note_text_is_escaped(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        text = 'Ther ex 15 min: <script>alert("x")</script> bridges 2x10 <img src=x onerror=alert(1)>. Total 15 min.'
        page = kim.get(f"/review/notes/{paste(kim, text)}").text
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_uploaded_notes_are_queued_and_bad_rows_named_without_their_text(tmp_path):
    notes = [{"id": "a", "text": SAMPLE["text"]}, {"id": "b", "text": "", "payer": "medicare"},
             {"id": "c", "text": WARNED_TEXT, "icd10": ["M62.81"], "discipline": "XX"},
             {"id": "d", "text": WARNED_TEXT}]
    content = "\n".join(json.dumps(n) for n in notes).encode()
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        answer = _upload(kim, "/review/import/notes", notes=("visit.jsonl", content))
        assert answer.status_code == 200
        assert "2 note(s) added to the queue; 2 skipped" in answer.text
        assert "visit.jsonl line 2: text: the note is empty" in answer.text
        assert "visit.jsonl line 3: discipline:" in answer.text
        again = _upload(kim, "/review/import/notes", notes=("visit.jsonl", content))
        assert "0 note(s) added to the queue; 2 already there" in again.text
        broken = _upload(kim, "/review/import/notes", notes=("x.jsonl", b'{"id": "a"}\n{not json'))
        assert broken.status_code == 422 and "x.jsonl line 2: not valid JSON" in broken.text


def test_a_batch_output_is_loaded_with_its_notes_file(tmp_path):
    notes = [{"id": "n1", **{k: v for k, v in SAMPLE.items() if k != "id"}}, {"id": "n2", "text": WARNED_TEXT}]
    outputs = [suggest(n).model_dump(mode="json") for n in notes]
    stale = {**outputs[1], "id": "n2"}
    stale["lines"] = [{**line, "evidence": [{**e, "start": e["start"] + 1, "end": e["end"] + 1}
                                            for e in line["evidence"]]} for line in stale["lines"]]
    records = [outputs[0], {"id": "n3", "line": 3, "error": {"field": "text", "problem": "the note is empty"}},
               {**outputs[1], "id": "n9"}, stale]
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        answer = _upload(kim, "/review/import/batch",
                         output=("out.jsonl", "\n".join(json.dumps(r) for r in records).encode()),
                         notes=("notes.jsonl", "\n".join(json.dumps(n) for n in notes).encode()))
        assert "1 note(s) added to the queue; 3 skipped" in answer.text
        assert "out.jsonl line 2: the batch could not suggest for this note" in answer.text
        assert "out.jsonl line 3: no note with this id in notes.jsonl" in answer.text
        assert "out.jsonl line 4: its evidence offsets do not fit the note&#39;s text" in answer.text
        queue = kim.get("/review/queue").text
        assert ">n1</a>" in queue and ">n2</a>" not in queue
        missing = kim.post("/review/import/batch", data={"csrf_token": csrf(kim)})
        assert missing.status_code == 422 and "output: choose a file" in missing.text


def test_queue_filters_by_status_warning_and_severity(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        clean = paste(kim, SAMPLE["text"], note_id="clean")
        warned = paste(kim, WARNED_TEXT, note_id="warned", icd10="M62.81")

        def listed(query):
            page = kim.get(f"/review/queue?{query}").text
            return [int(n) for n in re.findall(r'<td><a href="/review/notes/(\d+)">\1</a></td>', page)]

        assert listed("") == [clean, warned]
        assert listed("warning=MISSING_EXERCISE_PARAMETERS") == [warned]
        assert listed("severity=error") == []
        assert listed("severity=info") == [warned]
        assert listed("status=to_review") == [clean, warned]
        assert listed("status=accepted") == []
        bad = kim.get("/review/queue?status=done&warning=NOPE").text
        assert "status: not one of to_review, accepted, corrected" in bad and "warning: not one of" in bad


def test_a_bad_pasted_note_gets_a_line_naming_the_field(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        answer = kim.post("/review/import/paste", data={"csrf_token": csrf(kim), "text": "Ther ex 10 min.",
                                                        "date_of_service": "2026-13-40"})
        assert answer.status_code == 422
        assert "the pasted note: date_of_service:" in answer.text and "Traceback" not in answer.text


def test_queue_and_note_navigation(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        first, second = paste(kim, SAMPLE["text"], note_id="one"), paste(kim, WARNED_TEXT, note_id="two")
        page = kim.get(f"/review/notes/{first}").text
        assert f'href="/review/notes/{second}" data-key="j"' in page
        assert f'href="/review/notes/{second}" data-key="n"' in page
        assert f'href="/review/notes/{first}" data-key="k"' in kim.get(f"/review/notes/{second}").text
        assert kim.get("/review/notes/999").status_code == 404


def test_a_reading_in_doubt_says_why_on_the_note_page(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _kim(app)
        note_id = paste(kim, "Total treatment time 50 min. Ther ex 12 min: bridges 2x10, clams 2x10 red TB.",
                        icd10="M17.11")
        page = kim.get(f"/review/notes/{note_id}").text
        box = re.search(r'<div class="review-doubt" data-testid="review">.*?</div>', page, re.S)
        assert box and "the minutes read (12) are well under the stated total (50)" in box.group(0)
        calm = kim.get(f"/review/notes/{paste(kim, SAMPLE['text'], icd10='S52.501D')}").text
        assert 'data-testid="review"' not in calm
