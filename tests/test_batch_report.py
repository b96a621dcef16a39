"""The HTML report, opened in headless Chromium (Debian's, never a downloaded one): the numbers it shows are
the numbers in the output file, it loads nothing from the network, and it shows no note text."""

from collections import Counter
from pathlib import Path

import pytest

from tests.batch_support import annotated_notes, batch, coded_notes, read_jsonl, write_jsonl

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def number(text):
    return int(text.replace(",", ""))


def expected_from(records):
    """Counted here from the output records, independently of the code that writes the report."""
    good = [r for r in records if "error" not in r]
    lines, units, warnings, visits = Counter(), Counter(), Counter(), Counter()
    for record in good:
        for line in record["lines"]:
            lines[line["cpt"]] += 1
            units[line["cpt"]] += line["units"]
        visits[sum(line["units"] for line in record["lines"])] += 1
        for warning in record["warnings"]:
            warnings[(warning["code"], warning["severity"])] += 1
    serious = [(sum(w["severity"] == "error" for w in r["warnings"]),
                sum(w["severity"] == "warning" for w in r["warnings"]), -index, r["id"])
               for index, r in enumerate(records) if "error" not in r]
    gaps = [item[3] for item in sorted((s for s in serious if s[0] or s[1]), reverse=True)[:20]]
    return {"notes": len(records), "failed": len(records) - len(good), "lines": lines, "units": units,
            "warnings": warnings, "visits": visits, "gaps": gaps, "to_review": sum(bool(r["review"]) for r in good)}


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make browser)")
def test_report_shows_the_numbers_of_the_output_file(tmp_path):
    from playwright.sync_api import sync_playwright

    secret = "Quokka-Zanzibar"
    notes = annotated_notes(45, "dev2") + coded_notes(15) + ["{broken", '{"id": "x1", "text": ""}']
    notes[2]["text"] += f" Pt's neighbour {secret} visited."
    result = batch(write_jsonl(tmp_path / "in.jsonl", notes), tmp_path / "out.jsonl", chunk_rows=16)
    records = read_jsonl(tmp_path / "out.jsonl")
    want = expected_from(records)
    report = Path(result.report)
    assert secret not in report.read_text()

    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        metric = lambda name: number(page.locator(f"[data-metric='{name}']").inner_text())  # noqa: E731
        shown = {
            "notes": metric("notes"), "failed": metric("failed"), "suggested": metric("suggested"),
            "lines": {row.get_attribute("data-cpt"): number(row.locator("[data-lines]").inner_text())
                      for row in page.locator("tr[data-cpt]").all()},
            "units": {row.get_attribute("data-cpt"): number(row.locator("[data-units]").inner_text())
                      for row in page.locator("tr[data-cpt]").all()},
            "warnings": {(row.get_attribute("data-warning"), row.get_attribute("data-severity")):
                         number(row.locator("[data-count]").inner_text())
                         for row in page.locator("tr[data-warning]").all()},
            "visits": {int(row.get_attribute("data-units-per-visit")): number(row.locator("[data-visits]").inner_text())
                       for row in page.locator("tr[data-units-per-visit]").all()},
            "gaps": [row.get_attribute("data-gap-note") for row in page.locator("tr[data-gap-note]").all()],
            "severity": {name: metric(f"warnings-{name}") for name in ("error", "warning", "info")},
            "total_units": metric("units"),
            "to_review": metric("to-review"),
            "review_reasons": [number(cell.inner_text())
                               for cell in page.locator("tr[data-review-reason] [data-notes]").all()],
            "charts": page.locator("svg").count(),
        }
        visible_text = page.locator("body").inner_text()
        browser.close()

    assert shown["notes"] == want["notes"] == 62 and shown["failed"] == want["failed"] == 2
    assert shown["suggested"] == 60
    assert shown["lines"] == dict(want["lines"]) and shown["units"] == dict(want["units"])
    assert shown["total_units"] == sum(want["units"].values())
    assert shown["warnings"] == dict(want["warnings"])
    for severity, count in shown["severity"].items():
        assert count == sum(n for (_, s), n in want["warnings"].items() if s == severity)
    assert shown["visits"] == dict(want["visits"])
    assert shown["gaps"] == want["gaps"] and len(shown["gaps"]) > 0
    assert shown["charts"] == 3
    assert shown["to_review"] == want["to_review"] > 0
    assert max(shown["review_reasons"]) <= shown["to_review"] <= sum(shown["review_reasons"])
    assert secret not in visible_text
    assert all(url.startswith("file://") for url in requests), requests  # nothing from the network
