"""The rule data files load, agree with each other, and carry their sources."""

import json

import pytest

from rules.codes import code_table, timed_codes
from rules.ncci import bundled_tables, parse_mue_lines, parse_ptp_lines
from rules.payers import PayerProfileError, _load, payer_profiles

ISSUE_CODES = (
    "97110 97112 97113 97116 97140 97150 97530 97533 97535 97537 97542 97750 97755 97760 97761 97763 97129 97130 "
    "97161 97162 97163 97164 97165 97166 97167 97168 97010 97012 97014 97016 97018 97022 97024 97026 97028 "
    "97032 97033 97034 97035 97036 G0283 92507 92526"
).split()


def test_code_table_covers_every_code_notecode_emits():
    assert set(ISSUE_CODES) <= set(code_table())
    assert all(code.source and code.description for code in code_table().values())


def test_timed_and_untimed_follow_the_facts_sheet():
    assert {"97110", "97112", "97140", "97530", "97535", "97035", "97032"} <= timed_codes()
    assert not {"97150", "97010", "97018", "97165", "92507", "92526", "G0283"} & timed_codes()


def test_medicare_bundles_or_replaces_exactly_what_the_code_table_says_medicare_does_not_pay():
    not_paid = {c.code for c in code_table().values() if not c.medicare_pays_separately}
    medicare = payer_profiles()["medicare"]
    assert set(medicare.bundled_codes) | set(medicare.code_substitutions) == not_paid


def test_kx_thresholds_cover_2018_to_2026_with_sources():
    kx = payer_profiles()["medicare"].kx
    assert sorted(kx.thresholds) == list(range(2018, 2027))
    assert all(t.source for t in kx.thresholds.values())


def test_bundled_ncci_rows_carry_source_and_confidence():
    tables = bundled_tables()
    rows = [edit for edits in tables.ptp.values() for edit in edits]
    assert rows and all(edit.source and edit.confidence for edit in rows)
    assert all(m.source and m.confidence for m in tables.mue.values())


def test_user_payer_file_is_picked_up(tmp_path):
    medicare = json.loads(json.dumps({"name": "acme", "unit_method": "per_code", "discipline_modifiers": None,
                                      "assistant_modifiers": None, "kx": None}))
    (tmp_path / "acme.json").write_text(json.dumps(medicare))
    assert "acme" in _load(tmp_path)


def test_bad_payer_file_is_rejected_at_load(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps({"name": "bad", "unit_method": "hourly"}))
    with pytest.raises(PayerProfileError, match="bad.json: unit_method"):
        _load(tmp_path)


PTP_SAMPLE = """CPT only copyright 2025 American Medical Association. All rights reserved.
Column1/Column2 Edits
Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date\tModifier\tPTP Edit Rationale
\t\t\t\t*=no data\t0=not allowed\t
\t\t\t\t\t1=allowed\t
\t\t\t\t\t9=not applicable\t
97140\t97530\t\t20200101\t*\t1\tMutually exclusive procedures
97530\t97164\t\t20170101\t20200401\t1\tStandards of medical / surgical practice
"""

MUE_SAMPLE = '''"CPT codes and descriptions only are copyright 2025 American Medical Association.
All Rights Reserved."
"HCPCS/
CPT Code",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale
97035,2,"3 Date of Service Edit: Clinical",Clinical: Data
97750,8,"3 Date of Service Edit: Clinical",Clinical: Data
'''


def test_official_ptp_layout_is_parsed_with_dates():
    import datetime as dt

    edits = list(parse_ptp_lines(PTP_SAMPLE.splitlines(), "ccipra-f1.txt"))
    assert [(e.column1, e.column2, e.modifier_indicator) for e in edits] == [("97140", "97530", 1),
                                                                            ("97530", "97164", 1)]
    assert edits[0].in_force(dt.date(2026, 1, 1)) and not edits[1].in_force(dt.date(2026, 1, 1))
    assert edits[1].in_force(dt.date(2019, 6, 1))


def test_official_mue_layout_is_parsed():
    import io

    values = {m.code: (m.units, m.adjudication) for m in parse_mue_lines(io.StringIO(MUE_SAMPLE), "mue.csv")}
    assert values == {"97035": (2, 3), "97750": (8, 3)}


def test_official_files_replace_the_bundled_table(tmp_path, monkeypatch):
    import datetime as dt

    from api.service import suggest

    (tmp_path / "ptp").mkdir()
    (tmp_path / "mue").mkdir()
    (tmp_path / "ptp" / "f1.txt").write_text("97110\t97112\t\t20250101\t*\t0\tinvented for this test only\n")
    (tmp_path / "mue" / "MUE_Eff_2026-01-01.csv").write_text("97112,1,3 Date of Service Edit: Clinical,x\n")
    monkeypatch.setenv("NOTECODE_NCCI_DIR", str(tmp_path))
    note = {"services": [{"cpt": "97110", "minutes": 15}, {"cpt": "97112", "minutes": 30},
                         {"cpt": "97140", "minutes": 15}, {"cpt": "97530", "minutes": 15}],
            "icd10": ["M25.611"], "date_of_service": dt.date(2026, 3, 1).isoformat()}
    codes = [w.code for w in suggest(note).warnings]
    assert codes.count("NCCI_PTP_CONFLICT") == 1  # the configured pair only; the bundled 97140/97530 is gone
    assert "MUE_EXCEEDED" in codes
