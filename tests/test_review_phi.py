"""Notes are protected health information: no log line of the review page carries note text."""

from __future__ import annotations

import logging
import re

from review_support import SAMPLE, browser, csrf, decision_form, paste, running, sign_in

WORDS = ("tendon glides", "groceries", "K. Morales", "S52.501D", "lock box")


def test_review_logs_name_coders_and_note_ids_never_note_text(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG), running(tmp_path, "kim", "lee") as app:
        kim, lee = browser(app), browser(app)
        sign_in(kim, "kim")
        sign_in(lee, "lee")
        sign_in(browser(app), "kim", "wrong password!")
        note_id = paste(kim, SAMPLE["text"], icd10="S52.501D")
        kims = decision_form(kim.get(f"/review/notes/{note_id}").text)
        lees = decision_form(lee.get(f"/review/notes/{note_id}").text)
        kim.post(f"/review/notes/{note_id}/decision", data={**kims, "line-0-cpt": "bad"})
        kim.post(f"/review/notes/{note_id}/decision", data=kims)
        assert lee.post(f"/review/notes/{note_id}/decision", data=lees).status_code == 409
        kim.post("/review/import/notes", data={"csrf_token": csrf(kim)},
                 files={"notes": ("n.jsonl", SAMPLE["text"].encode(), "application/json")})
        kim.get("/review/export/decisions.csv")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert re.search(rf"review decision note={note_id} user=kim outcome=accepted", logged)
    assert re.search(rf"review conflict note={note_id} user=lee", logged)
    assert "route=/review/notes/{note_id}/decision status=409" in logged and "key=coder:lee" in logged
    for word in WORDS:
        assert word not in logged
