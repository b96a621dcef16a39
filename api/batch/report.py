"""The auditor's report: one self-contained HTML file (inline CSS and SVG, no script, nothing from the
network) built from the tally of the output records. Ids and counts only, never note text.

Every figure sits in an element with a stable `data-` attribute (`data-metric="notes"`, `tr[data-cpt]`, ...)
so a browser test can read what is shown and check it against the output file.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from api.batch.tally import SEVERITIES, Tally

if TYPE_CHECKING:
    from api.batch.options import BatchOptions

COLOURS = {"error": "#b42318", "warning": "#b54708", "info": "#175cd3", "bar": "#2e6f9e"}
CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1040px;
color:#1d2939;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #d0d5dd}
.meta{color:#475467;font-size:.9rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1.2rem 0}
.card{border:1px solid #d0d5dd;border-radius:8px;padding:.6rem 1rem;min-width:120px}
.card b{display:block;font-size:1.5rem}.card span{color:#475467;font-size:.85rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{padding:.25rem .7rem;border-bottom:1px solid #eaecf0;text-align:left}td.n,th.n{text-align:right}
.sev-error{color:#b42318;font-weight:600}.sev-warning{color:#b54708}.sev-info{color:#175cd3}
svg text{font:12px system-ui,sans-serif;fill:#344054}
.note{color:#475467;font-size:.88rem}
"""


def render_report(tally: Tally, options: BatchOptions, outputs: list[str]) -> str:
    sections = [
        _figures(tally),
        _lines_by_code(tally),
        _warnings_by_code(tally),
        _gaps(tally),
        _review(tally),
        _units_per_visit(tally),
        _failures(tally),
    ]
    files = ", ".join(html.escape(path) for path in outputs)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>notecode batch screening report</title><style>{CSS}</style></head><body>"
        "<h1>Batch screening report</h1>"
        f"<p class=\"meta\">input <code>{html.escape(options.source)}</code> &middot; output {files} &middot; "
        f"run date {options.run_date.isoformat()}. Suggestions are for a coder to confirm; note ids only, "
        "no note text.</p>" + "".join(sections) + "</body></html>\n"
    )


def _figures(tally: Tally) -> str:
    severity = tally.by_severity()
    visits = sum(tally.units_per_visit.values())
    mean = tally.total_units / visits if visits else 0.0
    cards = [("notes", tally.notes, "notes screened"), ("suggested", tally.suggested, "read and suggested"),
             ("failed", tally.failed, "failed (error records)"), ("lines", sum(tally.lines.values()), "claim lines"),
             ("units", tally.total_units, "units"), ("to-review", tally.to_review, "for a coder's review")]
    cards += [(f"warnings-{name}", severity[name], f"{name} findings") for name in SEVERITIES]
    body = "".join(f"<div class=\"card\"><b data-metric=\"{key}\">{value:,}</b><span>{label}</span></div>"
                   for key, value, label in cards)
    body += (f"<div class=\"card\"><b data-metric=\"mean-units-per-visit\">{mean:.2f}</b>"
             "<span>units per visit (mean)</span></div>")
    return f"<section id=\"figures\"><div class=\"cards\">{body}</div></section>"


def _lines_by_code(tally: Tally) -> str:
    codes = sorted(tally.lines)
    rows = "".join(f"<tr data-cpt=\"{html.escape(code)}\"><td>{html.escape(code)}</td>"
                   f"<td class=\"n\" data-lines=\"{tally.lines[code]}\">{tally.lines[code]:,}</td>"
                   f"<td class=\"n\" data-units=\"{tally.units[code]}\">{tally.units[code]:,}</td></tr>"
                   for code in codes)
    chart = _bars([(code, tally.units[code], COLOURS["bar"]) for code in codes], "units by code")
    table = ("<table id=\"lines-by-code\"><thead><tr><th>CPT/HCPCS</th><th class=\"n\">lines</th>"
             f"<th class=\"n\">units</th></tr></thead><tbody>{rows}</tbody></table>")
    return _section("lines", "Lines and units by code", table + chart if codes else "<p>No billable lines.</p>")


def _warnings_by_code(tally: Tally) -> str:
    order = sorted(tally.warnings, key=lambda key: (SEVERITIES.index(key[1]), -tally.warnings[key], key[0]))
    rows = "".join(f"<tr data-warning=\"{html.escape(code)}\" data-severity=\"{severity}\">"
                   f"<td>{html.escape(code)}</td><td class=\"sev-{severity}\">{severity}</td>"
                   f"<td class=\"n\" data-count=\"{tally.warnings[(code, severity)]}\">"
                   f"{tally.warnings[(code, severity)]:,}</td></tr>" for code, severity in order)
    chart = _bars([(code, tally.warnings[(code, severity)], COLOURS[severity]) for code, severity in order],
                  "findings by code, coloured by severity")
    table = ("<table id=\"warnings-by-code\"><thead><tr><th>code</th><th>severity</th><th class=\"n\">"
             f"findings</th></tr></thead><tbody>{rows}</tbody></table>")
    return _section("warnings", "Documentation findings by code and severity",
                    table + chart if order else "<p>No findings.</p>")


def _gaps(tally: Tally) -> str:
    gaps = tally.gaps()
    rows = "".join(f"<tr data-gap-note=\"{html.escape(gap.note_id)}\" data-errors=\"{gap.errors}\" "
                   f"data-warnings=\"{gap.warnings}\"><td>{rank}</td><td>{html.escape(gap.note_id)}</td>"
                   f"<td class=\"n sev-error\">{gap.errors}</td><td class=\"n sev-warning\">{gap.warnings}</td>"
                   f"<td>{html.escape(', '.join(gap.codes))}</td></tr>" for rank, gap in enumerate(gaps, 1))
    table = ("<p class=\"note\">Ranked by error findings, then warnings; ties in input order.</p>"
             "<table id=\"gaps\"><thead><tr><th>#</th><th>note id</th><th class=\"n\">errors</th>"
             f"<th class=\"n\">warnings</th><th>codes</th></tr></thead><tbody>{rows}</tbody></table>")
    return _section("gaps", f"The {len(gaps)} notes with the most serious gaps",
                    table if gaps else "<p>No note has an error or warning finding.</p>")


def _review(tally: Tally) -> str:
    rows = "".join(f"<tr data-review-reason=\"{html.escape(reason)}\"><td>{html.escape(reason)}</td>"
                   f"<td class=\"n\" data-notes=\"{count}\">{count:,}</td></tr>"
                   for reason, count in tally.review_reasons.most_common())
    table = ("<p class=\"note\">Notes whose own figures put the reading in doubt (a stated total the minutes read do "
             "not reach, a timed service without minutes, an unsure code): their lines' confidence is capped at 0.5. "
             "On unseen clinics the unflagged notes are billed right more often; see the README's figures.</p>"
             "<table id=\"review\"><thead><tr><th>reason (N: a count)</th><th class=\"n\">notes</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    return _section("review", f"{tally.to_review:,} notes for a coder's review",
                    table if rows else "<p>No note's reading is in doubt.</p>")


def _units_per_visit(tally: Tally) -> str:
    units = sorted(tally.units_per_visit)
    rows = "".join(f"<tr data-units-per-visit=\"{u}\"><td class=\"n\">{u}</td>"
                   f"<td class=\"n\" data-visits=\"{tally.units_per_visit[u]}\">{tally.units_per_visit[u]:,}</td>"
                   "</tr>" for u in units)
    table = ("<table id=\"units-per-visit\"><thead><tr><th class=\"n\">units billed</th><th class=\"n\">visits"
             f"</th></tr></thead><tbody>{rows}</tbody></table>")
    chart = _columns([(str(u), tally.units_per_visit[u]) for u in units], "visits by units billed")
    return _section("visits", "Units per visit", chart + table if units else "<p>No notes suggested.</p>")


def _failures(tally: Tally) -> str:
    if not tally.failed:
        return _section("failures", "Rows that failed", "<p data-metric=\"failed-none\">None.</p>")
    by_field = "".join(f"<tr data-failed-field=\"{html.escape(name)}\"><td>{html.escape(name)}</td>"
                       f"<td class=\"n\" data-count=\"{count}\">{count:,}</td></tr>"
                       for name, count in tally.failures_by_field.most_common())
    first = "".join(f"<tr><td>{html.escape(str(item['id'] or ''))}</td><td class=\"n\">{item['line']}</td>"
                    f"<td>{html.escape(item['error'])}</td></tr>" for item in tally.first_failures)
    body = ("<table id=\"failed-by-field\"><thead><tr><th>field</th><th class=\"n\">rows</th></tr></thead>"
            f"<tbody>{by_field}</tbody></table><p class=\"note\">The first {len(tally.first_failures)} "
            "(all are in the output, as error records):</p><table id=\"first-failures\"><thead><tr><th>note id"
            f"</th><th class=\"n\">line</th><th>reason</th></tr></thead><tbody>{first}</tbody></table>")
    return _section("failures", "Rows that failed", body)


def _section(anchor: str, title: str, body: str) -> str:
    return f"<section id=\"{anchor}\"><h2>{html.escape(title)}</h2>{body}</section>"


def _bars(items: list[tuple[str, int, str]], title: str) -> str:
    """Horizontal bars, one per item, scaled to the largest."""
    if not items:
        return ""
    top = max(value for _, value, _ in items) or 1
    row, label_width, bar_width = 22, 230, 600
    height = row * len(items) + 10
    bars = []
    for index, (label, value, colour) in enumerate(items):
        y = 5 + index * row
        width = max(1, round(bar_width * value / top)) if value else 0
        bars.append(f"<text x=\"{label_width - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{html.escape(label)}</text>"
                    f"<rect x=\"{label_width}\" y=\"{y + 3}\" width=\"{width}\" height=\"{row - 6}\" "
                    f"fill=\"{colour}\"></rect><text x=\"{label_width + width + 6}\" y=\"{y + 15}\">{value:,}</text>")
    return (f"<svg role=\"img\" aria-label=\"{html.escape(title)}\" width=\"{label_width + bar_width + 80}\" "
            f"height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{html.escape(title)}</title>"
            + "".join(bars) + "</svg>")


def _columns(items: list[tuple[str, int]], title: str) -> str:
    """Vertical columns (a histogram), scaled to the tallest."""
    if not items:
        return ""
    top = max(value for _, value in items) or 1
    column, height = 44, 180
    parts = []
    for index, (label, value) in enumerate(items):
        x = 10 + index * column
        tall = max(1, round(height * value / top)) if value else 0
        parts.append(f"<rect x=\"{x}\" y=\"{20 + height - tall}\" width=\"{column - 8}\" height=\"{tall}\" "
                     f"fill=\"{COLOURS['bar']}\"></rect><text x=\"{x + (column - 8) / 2}\" y=\"{16 + height - tall}\" "
                     f"text-anchor=\"middle\">{value:,}</text><text x=\"{x + (column - 8) / 2}\" "
                     f"y=\"{height + 36}\" text-anchor=\"middle\">{html.escape(label)}</text>")
    return (f"<svg role=\"img\" aria-label=\"{html.escape(title)}\" width=\"{20 + column * len(items)}\" "
            f"height=\"{height + 44}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{html.escape(title)}</title>"
            + "".join(parts) + "</svg>")
