"""The summary printed on the terminal at the end of a run: counts only."""

from __future__ import annotations

from api.batch.run import BatchResult


def summary_lines(result: BatchResult) -> list[str]:
    tally = result.tally
    severity = tally.by_severity()
    rate = (tally.notes - result.resumed_notes) / result.seconds if result.seconds else 0.0
    lines = [
        f"{tally.notes} notes, {tally.suggested} suggested, {tally.failed} failed "
        f"({result.seconds:.1f} s, {rate:,.0f} notes/s"
        + (f"; {result.resumed_notes:,} from the earlier run" if result.resumed_notes else "") + ")",
        f"{sum(tally.lines.values()):,} lines, {tally.total_units:,} units; findings: "
        f"{severity['error']:,} error, {severity['warning']:,} warning, {severity['info']:,} info",
    ]
    if tally.units:
        top = ", ".join(f"{code} {units:,}" for code, units in tally.units.most_common(6))
        lines.append(f"units by code: {top}")
    if tally.warnings:
        common = ", ".join(f"{code} {count:,}" for (code, _), count in tally.warnings.most_common(5))
        lines.append(f"most frequent findings: {common}")
    if tally.to_review:
        share = tally.to_review / tally.suggested
        reasons = "; ".join(f"{reason} {count:,}" for reason, count in tally.review_reasons.most_common(3))
        lines.append(f"for a coder's review: {tally.to_review:,} notes ({share:.0%}) whose reading is in doubt: "
                     f"{reasons}")
    if tally.failed:
        fields = ", ".join(f"{name} {count:,}" for name, count in tally.failures_by_field.most_common(5))
        lines.append(f"failed rows by field: {fields} (error records in the output)")
    lines.append("-> " + ", ".join(result.outputs))
    lines.append(f"report: {result.report}")
    return lines
