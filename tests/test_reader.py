"""The reader on small notes: blocks, minutes, status, codes, parameters, measurements, diagnoses, who."""

import textwrap

import pytest

from nlp.intent import KeywordIntentScorer
from nlp.pipeline import build_pipeline
from nlp.suggester import Suggester
from rules.contract import Note


@pytest.fixture(scope="module")
def suggester():
    pipeline = build_pipeline()
    pipeline.get_pipe("notecode_intent").scorer = KeywordIntentScorer()  # transparent and fixed for these tests
    return Suggester(pipeline)


def read(suggester, text, **fields):
    return suggester.suggest_texts([Note(text=text, **fields)])[0]


def billed(suggestion):
    return sorted((line.cpt, line.units) for line in suggestion.lines)


def coded(suggestion):
    """Each intervention's code and minutes, in note order."""
    return [(i.cpt, i.minutes) for i in suggestion.interventions]


def test_heading_with_minutes_and_items_is_one_block(suggester):
    s = read(suggester, "Ther ex 15 min: AAROM, quad sets, heel slides 2x10. Total treatment time 15 min.")
    assert coded(s) == [("97110", 15)]
    assert billed(s) == [("97110", 1)]


def test_item_minutes_are_summed_into_their_block(suggester):
    s = read(suggester, "Ther ex:\nUBE 8 min\nrows w/ red TB 2x10 7 min\n\nTTT 15 min")
    assert coded(s) == [("97110", 15)]


def test_items_listed_together_without_a_heading_are_one_block(suggester):
    s = read(suggester, "UBE 8 min level 3; rows w/ red TB 2x10 7 min. TTT 15 min")
    assert coded(s) == [("97110", 15)]


def test_flowsheet_line(suggester):
    s = read(suggester, "TE 8' UBE; TA 16' kitchen task; NMR 10' SLS on foam. TTT 34'")
    assert coded(s) == [("97110", 8), ("97530", 16), ("97112", 10)]
    assert billed(s) == [("97112", 1), ("97530", 1)]  # 34 minutes are 2 units: 97530's 15, then 10 > 8 > 1


def test_narrative_with_number_words(suggester):
    s = read(suggester, "Pt seen for 40 minutes. Began with ten minutes on the UBE at level 3 for endurance, then "
                        "twenty minutes of LB dressing practice with reacher and sock aid.")
    assert coded(s) == [("97110", 10), ("97535", 20)]
    assert s.totals.total_treatment_minutes == 40


def test_soap_sections_set_status(suggester):
    s = read(suggester, "S: pt reports doing HEP daily.\nO: Ther ex 15 min: wrist curls 1# 3x10.\n"
                        "A: tolerated ther ex well.\nP: progress to red TB next session.")
    statuses = [(i.cpt, i.status) for i in s.interventions]
    assert ("97110", "performed") in statuses and ("97110", "planned") in statuses
    assert billed(s) == [("97110", 1)]


@pytest.mark.parametrize("text, status, trigger", [
    ("Pt declined NMR today.", "declined", "declined"),
    ("NMR held d/t increased pain.", "held", "held"),
    ("Will add ther act next session.", "planned", "will add"),
    ("Continue HEP: wrist AROM 3x10 daily.", "home_program", "HEP"),
])
def test_status_and_the_trigger_that_set_it(suggester, text, status, trigger):
    intervention = read(suggester, text).interventions[0]
    assert intervention.status == status
    assert trigger.lower() in intervention.status_trigger.lower()


def test_only_performed_work_is_billed(suggester):
    s = read(suggester, "Pt declined NMR today. Ther ex 8 min: UBE level 1 for endurance. Total 8 min.")
    assert billed(s) == [("97110", 1)]


def test_home_program_instruction_in_session_is_billed(suggester):
    # the notes' standing convention: a home program timed as its own block keeps its status and is billed
    s = read(suggester, "HEP instruction 10 min: issued and reviewed tendon glides x10, wrist AROM 2x10. TTT 10 min")
    assert s.interventions[0].status == "home_program" and billed(s) == [("97110", 1)]
    # timed work of its own that teaches a home program is performed
    s = read(suggester, "Scar massage 8 min w/ lotion, pt return-demo'd for home. Ther ex 12 min - HEP instruction: "
                        "bridges 2x10. TTT 20 min", payer="commercial")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97140", "performed"), ("97110", "performed")]


def test_codes_the_rules_recognize(suggester):
    s = read(suggester, "Paraffin R hand x 10 min. Retrograde massage R hand 8 min. US 1 MHz to lateral elbow "
                        "8 min. Group session w/ 3 pts 30 min. TTT 56 min", payer="commercial")
    assert {i.cpt for i in s.interventions} == {"97018", "97140", "97035", "97150"}


def test_evaluation_by_complexity(suggester):
    s = read(suggester, "OT evaluation, moderate complexity. Grip R 40#. Goal: dress independently.")
    assert billed(s) == [("97166", 1)]


def test_cpt_code_and_units_written_in_the_note(suggester):
    s = read(suggester, "97110 x 3 units: theraband rows 3x10, 20 min. TTT 20 min.")
    assert billed(s) == [("97110", 1)]
    assert "UNITS_MISMATCH" in {w.code for w in s.warnings}


def test_parameters_are_read(suggester):
    text = "Ther ex 15 min: rows w/ red TB 3x10, wrist curls 2# 2x15, 5 sec holds"
    intervention = read(suggester, text).interventions[0]
    assert intervention.parameters["sets"] == 3 and intervention.parameters["reps"] == 10
    assert intervention.parameters["resistance"] == "red TB"
    assert intervention.parameters["hold_seconds"] == 5


@pytest.mark.parametrize("text, kind", [
    ("R wrist ext AROM 0-45 deg", "rom"), ("shoulder flex MMT 4-/5", "mmt"), ("Grip R 28 lb", "grip"),
    ("lateral pinch 9#", "pinch"), ("pain 6/10 with reaching", "pain"), ("figure-8 edema R 45.5 cm", "edema"),
    ("Berg 42/56", "standardized"), ("TUG 14.2 sec", "standardized"), ("9-hole peg R 38 sec", "standardized"),
    ("QuickDASH 45.5", "standardized"), ("Box and Blocks R 31", "standardized"), ("FIM 5", "standardized"),
    ("Section GG: UB dressing 04", "standardized"),
])
def test_measurements(suggester, text, kind):
    measurements = read(suggester, f"Ther ex 15 min: UBE. {text}.").measurements
    assert [m.kind for m in measurements] == [kind]
    assert measurements[0].text == f"Ther ex 15 min: UBE. {text}."[measurements[0].start:measurements[0].end]


def test_diagnosis_written_in_the_text_is_used(suggester):
    s = read(suggester, "Dx: S52.501D. Ther ex 15 min: wrist curls 1# 3x10. TTT 15 min. Grip 20#. "
                        "Goal: open jars.")
    assert s.lines[0].icd10 == ["S52.501D"]
    assert not {"MISSING_DIAGNOSIS", "INVALID_ICD10"} & {w.code for w in s.warnings}


def test_given_icd10_wins_over_the_text(suggester):
    s = read(suggester, "Dx: S52.501D. Ther ex 15 min: wrist curls 1# 3x10.", icd10=["M25.631"])
    assert s.lines[0].icd10 == ["M25.631"]


def test_assistant_in_the_text_adds_co(suggester):
    s = read(suggester, "Treatment by COTA. ADL training 30 min: LB dressing with reacher. Total 30 min.",
             icd10=["M62.81"])
    assert s.lines[0].modifiers == ["GO", "CO"]


def test_minutes_written_after_the_work_refer_back_to_it(suggester):
    s = read(suggester, "Manual therapy: retrograde massage R hand and scar massage; this took 12 minutes. TTT 12 min")
    assert coded(s) == [("97140", 12)]


def test_who_did_it(suggester):
    s = read(suggester, "Co-treat with PT. COTA: ADL training 20 min: UB dressing. Aide set up mat. TTT 20 min")
    intervention = s.interventions[0]
    assert intervention.provider == "OTA" and intervention.cotreatment


def test_documentation_gaps(suggester):
    s = read(suggester, "Ther ex 15 min: AAROM, quad sets, heel slides.", icd10=["M17.11"])
    codes = {w.code for w in s.warnings}
    assert {"MISSING_TOTAL_TIME", "MISSING_EXERCISE_PARAMETERS", "MISSING_OBJECTIVE_MEASURE",
            "MISSING_FUNCTIONAL_GOAL"} <= codes


def test_timed_minutes_over_total_is_inconsistent(suggester):
    s = read(suggester, "Ther ex 30 min: rows 3x10 red TB. Total treatment time 20 min.")
    assert "TIME_INCONSISTENT" in {w.code for w in s.warnings}


def test_one_timed_block_takes_the_stated_total_timed_minutes(suggester):
    s = read(suggester, "Ther ex: rows 3x10 red TB, wrist curls 2# 3x10. Total timed minutes 23. TTT 30 min.")
    assert billed(s) == [("97110", 2)]


def test_evidence_is_the_text_it_points_to(suggester):
    text = "O: TE 8' UBE; TA 16' kitchen task with reaching to shelves.\nTTT 24'"
    s = read(suggester, text)
    for item in [*s.lines, *s.warnings]:
        for evidence in item.evidence:
            assert text[evidence.start:evidence.end] == evidence.text
    for intervention in s.interventions:
        assert text[intervention.start:intervention.end] == intervention.text


def test_separate_time_blocks_allow_xu_on_the_ncci_pair(suggester):
    s = read(suggester, "Manual therapy 10 min: STM forearm. Ther act 15 min: lifting and carrying crates to shelf."
                        " TTT 25 min.", icd10=["M25.531"])
    lines = {line.cpt: line.modifiers for line in s.lines}
    assert "XU" in lines["97530"] and "DISTINCT_SERVICE_MODIFIER" in {w.code for w in s.warnings}


def test_the_other_sides_value_is_a_measurement_too(suggester):
    s = read(suggester, "Grip (Jamar pos II) R 28#, L 62#. AROM flex 135, abd 115, ER 40 (@0 abd).\n"
                        "Ther ex 10 min: putty 2x10")
    found = [(m.kind, m.text) for m in s.measurements]
    assert ("grip", "L 62#") in found
    assert ("rom", "abd 115") in found and ("rom", "ER 40") in found


def test_hand_clinic_and_vitals_formats(suggester):
    s = read(suggester, "Jamar R 14# L 52#. AROM wrist ext 35, flex 30 degs. Finger AROM (MP/PIP/DIP) small ext "
                        "0/-30/-5, flex 80/90/55. Index PROM MP 80, PIP 95, DIP 60. AROM DF 5, PF 40, inv 20, ev 10.\n"
                        "Vitals: HR 74, RR 18, O2 97%. HA 3/10.\nTher ex 10 min: putty 2x10")
    found = [(m.kind, m.text) for m in s.measurements]
    assert found[2] == ("rom", "AROM wrist ext 35, flex 30 degs")
    assert {("grip", "Jamar R 14#"), ("grip", "L 52#"), ("rom", "ext 0/-30/-5"),
            ("rom", "flex 80/90/55"), ("rom", "PIP 95"), ("rom", "DIP 60"), ("rom", "inv 20"), ("rom", "ev 10"),
            ("vitals", "RR 18"), ("vitals", "O2 97%"), ("pain", "HA 3/10")} <= set(found)


def test_a_table_pasted_with_pipes_after_its_labels(suggester):
    s = read(suggester, "OBJECTIVE:|\n  9HPT:|R 38.2 SEC|L 44.6 SEC\nTher ex 10 min: putty 2x10")
    assert [(m.kind, m.text) for m in s.measurements] == [("standardized", "9HPT:|R 38.2 SEC"),
                                                          ("standardized", "L 44.6 SEC")]


def test_side_orders_landmarks_and_named_rom_tests(suggester):
    s = read(suggester, "PROM R/L flex 110/165, abd 85/170, IR to sacrum. Shoulder flex AROM L 150, R 170.\n"
                        "Cervical AROM (inclinometer): flex 40, R rot 50, L SB 35. Knee PROM: lacks 5 ext, flex 102.\n"
                        "AKE R -25, L -15. 3-jaw: R 7 lb / L 13 lb. Figure-of-8 R 53.0 cm / L 51.5 cm.\n"
                        "circumf P1 long finger R 7.2 cm. VAS 62 mm w/ reach. Box & Blocks: R 14 blocks / L 52 blocks\n"
                        "Ther ex 10 min: putty 2x10")
    found = [(m.kind, m.text) for m in s.measurements]
    assert {("rom", "R/L flex 110/165"), ("rom", "abd 85/170"), ("rom", "IR to sacrum"), ("rom", "Shoulder flex "
                                                                                                 "AROM L 150"),
            ("rom", "R 170"), ("rom", "AROM (inclinometer): flex 40"), ("rom", "R rot 50"), ("rom", "L SB 35"),
            ("rom", "lacks 5 ext"), ("rom", "flex 102"), ("rom", "AKE R -25"), ("rom", "L -15"),
            ("pinch", "3-jaw: R 7 lb"), ("pinch", "L 13 lb"), ("edema", "Figure-of-8 R 53.0 cm"),
            ("edema", "L 51.5 cm"), ("edema", "circumf P1 long finger R 7.2 cm"), ("pain", "VAS 62 mm"),
            ("standardized", "L 52 blocks")} <= set(found)
    assert not any("2x10" in text for _, text in found)  # the putty's sets and reps stay parameters


def test_flowsheet_tables_give_the_current_value_of_each_row(suggester):
    s = read(suggester, "AROM R (deg)   | 1/27 | 2/10 today\nWrist ext      | 32   | 48\nPronation      | 70   | WNL\n"
                        "Shoulder AROM (R)   Eval 12/9   Today\nFlexion             70          125\n"
                        "IR                  to sacrum   to L3\n\n"
                        "Circumferential (cm)   L (involved)   R\n  MCPs     20.1     19.4\n\n"
                        "  Jamar 5-position grip (lb)\n    Pos 1    R 38    L 62\n\n"
                        "MMT L shoulder\tflex G+\tabd G-\n"
                        "ROM (deg)\tL\tR\nFlexion\t118\t172\nTher Ex\t25\t2\nTotal 25 min")
    found = [(m.kind, m.text) for m in s.measurements]
    assert found == [("rom", "48"), ("rom", "125"), ("rom", "to L3"), ("edema", "20.1"), ("edema", "19.4"),
                     ("grip", "R 38"), ("grip", "L 62"), ("mmt", "flex G+"), ("mmt", "abd G-"), ("rom", "118"),
                     ("rom", "172")]  # not the dated columns' older values, not the ther ex row's minutes and units


def test_values_after_a_unit_in_the_label_and_after_activity(suggester):
    s = read(suggester, "Grip (kg): R 22, L 30. Pinch (lb): lateral R 14 L 20; 3-jaw R 11 L 17\n"
                        "HR 78 pre / 96 post lift. BP 128/74 before, 142/80 after 6MWT.\n"
                        "Volumetry: L 2410 mL, R 2015 mL\n"
                        "AROM DF 0-12 (L 0-18)\nTher ex 10 min: heel raises 2x10")
    found = [(m.kind, m.text) for m in s.measurements]
    assert {("grip", "R 22"), ("grip", "L 30"), ("pinch", "lateral R 14"), ("pinch", "L 20"), ("pinch", "3-jaw R 11"),
            ("pinch", "L 17"), ("vitals", "96 post lift"), ("vitals", "142/80 after 6MWT"), ("edema", "R 2015 mL"),
            ("rom", "L 0-18")} <= set(found)
    assert not any("2x10" in text for _, text in found)


def test_band_sets_post_op_day_spine_levels_and_totals_are_no_measurements(suggester):
    s = read(suggester, "PT f/u R TKA (POD 24)\nTE 15m - 4-way ankle GTB 3x15, rows RTB 2x10, KB 3 x 10, SL RDL 2x8\n"
                        "Manual ~15 min: C-spine SNAGs into R rot, suboccipital release, T4-6 PA mobs gr IV\n"
                        "TOTAL          30")
    assert s.measurements == []


def test_bare_nprs_a_rating_at_rest_after_it_and_an_improved_motion(suggester):
    s = read(suggester, "Pain NPRS 5 w/ jar opening, 2 at rest. Cervical rot R improved to 58 post manual.\n"
                        "Ther ex 10 min: chin tucks 2x10")
    assert [(m.kind, m.text, m.value) for m in s.measurements] == [
        ("pain", "NPRS 5", 5.0), ("pain", "2 at rest", 2.0), ("rom", "rot R improved to 58", 58.0)]


def test_a_code_row_of_a_pasted_table_keeps_its_minutes(suggester):
    s = read(suggester, "INTERVENTIONS:|\n  97535 SELF CARE/HOME MGMT|14 MIN|BUTTONING PRACTICE W/ BUTTON HOOK\n"
                        "TOTAL TIMED MIN:|14")
    assert billed(s) == [("97535", 1)] and s.interventions[0].minutes == 14


def test_a_tab_separated_export_with_a_minutes_column(suggester):
    s = read(suggester, "Objective\tKnee flex 0-135\nInterventions\tMinutes\tDescription\n"
                        "Therapeutic exercise\t20\tleg press 3x10 70#\nNeuromuscular re-ed\t15\tSL balance on foam\n"
                        "Cryo\t10\tice pack post (not charged)\nTotal\t45\t\nAssessment\tProgressing per protocol",
             discipline="PT", payer="commercial")
    assert billed(s) == [("97110", 1), ("97112", 1)]  # the ice pack the note says is not charged is shown only
    assert [i.not_billed for i in s.interventions] == [None, None, "not charged"]
    assert coded(s) == [("97110", 20), ("97112", 15), ("97010", 10)]


def test_planned_work_not_started_is_held(suggester):
    s = read(suggester, "Vitals: BP 188/104, recheck 186/102. Session held per emergency protocol.\n"
                        "Planned tx (ADL retraining, R UE NMR) not started. No charges today.")
    assert billed(s) == []
    assert {i.status for i in s.interventions if i.cpt in ("97535", "97112")} == {"held"}
    assert ("vitals", "recheck 186/102") in [(m.kind, m.text) for m in s.measurements]


def test_speech_language_and_swallowing_treatment(suggester):
    swallowing = read(suggester, "Pt seen 45 min for swallowing tx.\nTx: effortful swallow 3x10, Masako 3x10.",
                      discipline="SLP")
    speech = read(suggester, "SLP - LSVT LOUD session 11 of 16\nSustained ah 15 reps.\nTotal 50 min.", discipline="SLP")
    assert billed(swallowing) == [("92526", 1)] and billed(speech) == [("92507", 1)]


def test_minutes_summarised_by_code_before_the_work_they_time(suggester):
    s = read(suggester, "TE 15 / MT 10. TE: scap rows GTB 3x12, ER/IR RTB 3x12. MT: post cap mobs gr III, STM upper "
                        "trap. 25 min tot.", discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 15), ("97140", 10)]
    assert billed(s) == [("97110", 1), ("97140", 1)] and s.totals.total_treatment_minutes == 25


def test_minutes_restating_a_clock_range_are_not_added_to_it(suggester):
    s = read(suggester, "11:20-11:38 OT alone - ther act 18 min: standing at counter wiping table, CGA.")
    assert coded(s) == [("97530", 18)]


def test_minutes_from_a_billing_summary_table(suggester):
    s = read(suggester, "Interventions: standing hip abd/ext 3# 3x10, mini squats 3x15, bridges w/ band 3x12 for hip "
                        "strengthening; gait training w/ SPC 200 ft x3, cues for step length.\n"
                        "BILLING SUMMARY\nCPT     Description        Min   Units\n97110   Ther ex            20    2\n"
                        "97116   Gait training      18    2\nTotal timed 38 min", discipline="PT")
    assert sorted((i.cpt, i.minutes) for i in s.interventions) == [("97110", 20), ("97116", 18)]
    assert billed(s) == [("97110", 2), ("97116", 1)]  # 38 minutes are 3 units, not the 4 the table claims
    assert "UNITS_MISMATCH" in {w.code for w in s.warnings}


def test_unchecked_template_boxes_are_not_services(suggester):
    s = read(suggester, "Interventions (check all provided):\n[X] 97110 Ther ex ..... 15 min  wall slides 2x10\n"
                        "[ ] 97112 NMR ....... ___ min\n[ ] 97018 Paraffin\n☐ 97535 Self-care\nTotal timed: 15 min")
    assert billed(s) == [("97110", 1)] and [i.cpt for i in s.interventions] == ["97110"]


def test_a_heading_joined_to_a_second_name_by_a_slash(suggester):
    s = read(suggester, "Gait/run training 8 min: TM running 1 min on/1 min off x4.\nTE/HEP: clamshells 3x10, 10 min.",
             discipline="PT", payer="commercial")
    assert coded(s) == [("97116", 8), ("97110", 10)]


def test_what_a_patient_reports_doing_at_home_is_no_home_program(suggester):
    s = read(suggester, "Pt reports freezing at doorways at home. Ther ex 15 min: rows 3x10.\nWalk daily at home.")
    assert [(i.status, i.text) for i in s.interventions if i.status == "home_program"] == \
        [("home_program", "Walk daily at home")]


def test_concurrent_untimed_modalities_are_two_lines(suggester):
    s = read(suggester, "Moist hot pack + IFC (unattended) to lumbar x 15 min, pt prone.\nTotal session 15 min",
             discipline="PT", payer="commercial")
    assert billed(s) == [("97010", 1), ("97014", 1)]  # 'unattended' is not 'attended' e-stim


def test_item_minutes_with_their_sum_written_after_an_equals_sign(suggester):
    s = read(suggester, "Ther ex: calf raises 3x15 (5 min), ankle alphabet x2 (3 min), theraband 2x15 (6 min), "
                        "stretch 3x30s (4 min) = 18 min\nTotal: 18 min.", discipline="PT")
    assert coded(s) == [("97110", 18)]


def test_a_signature_under_the_plan_is_no_planned_intervention(suggester):
    s = read(suggester, "Ther ex 15 min: rows 2x10.\nP: progress to hopping drills next visit.\nT. Adeyemi, PT",
             discipline="PT")
    assert all("Adeyemi" not in i.text and i.text.strip() != "T" for i in s.interventions)


@pytest.mark.parametrize("signature", ["Dana P., COTA", "(J. Ames, OTR/L)"])
def test_signatures_with_an_initial_or_in_brackets(suggester, signature):
    s = read(suggester, f"Ther ex 15 min: rows 2x10.\nP: cont POC, progress standing tolerance.\n{signature}")
    assert all(signature.strip("()")[-4:] not in i.text for i in s.interventions)


def test_pool_work_is_aquatic_therapy_and_a_title_line_is_no_second_service(suggester):
    s = read(suggester, "Aquatic PT Session - Dx: M16.11\n"
                        "Pool (water 92F, chest depth): forward/retro walking 4 laps, mini squats 2x15 -- 38 min\n"
                        "Land: bridges 2x10, hip abd w/ yellow TB 2x10 -- 10 min\nTotal treatment time 48 min.",
             discipline="PT", payer="commercial")
    assert coded(s) == [("97113", 38), ("97110", 10)]


def test_minutes_that_provoke_symptoms_or_belong_to_a_goal_are_not_treatment_time(suggester):
    s = read(suggester, "History: symptoms worse w/ sitting >30 min.\n"
                        "Client: HVAC technician, goal: RTW full duty (overhead work 30 min).\n"
                        "Manual therapy 10 min: PA mobs grade III.\nTotal 10 min.", discipline="PT")
    assert coded(s) == [("97140", 10)]


def test_an_intervention_shows_the_code_the_payer_takes(suggester):
    text = "HP + IFC unattended to R shoulder 15 min, seated.\nTotal 15 min"
    medicare = read(suggester, text, discipline="PT", payer="medicare")
    commercial = read(suggester, text, discipline="PT", payer="commercial")
    assert [i.cpt for i in medicare.interventions] == ["97010", "G0283"]
    assert [i.cpt for i in commercial.interventions] == ["97010", "97014"]
    assert [line.cpt for line in commercial.lines] == ["97010", "97014"]


def test_this_took_n_minutes_closes_work_described_over_several_sentences(suggester):
    s = read(suggester, "I began by checking the orthosis. There was a pressure area over the radial styloid. "
                        "I spot-heated and flared the edge and re-instructed her in skin checks; this took 14 minutes. "
                        "She then completed 18 minutes of exercise: thumb AROM 2 x 10, opposition x 10.\n"
                        "Total time 32 minutes.", payer="commercial")
    assert coded(s) == [("97763", 14), ("97110", 18)]


def test_item_minutes_totalled_after_an_em_dash_are_one_block(suggester):
    s = read(suggester, "Tx:\n- UBE 5 min fwd/back + pulleys 3 min + table slides 2x15, wall walks 2x10 — 18 min"
                        " total\nTotal session 18 min")
    assert coded(s) == [("97110", 18)]


def test_a_timed_performance_and_a_parents_concern_are_no_treatment(suggester):
    s = read(suggester, "Parent concern: slow getting dressed for school.\n"
                        "- Dressing (self-care) 8 min: timed dressing for school: 6 min 40 s (was 9 min)\nTTT 8 min.",
             payer="commercial")
    assert coded(s) == [("97535", 8)]


def test_sets_with_their_minutes_are_no_range_of_motion(suggester):
    s = read(suggester, "Tx:\n- Tendon glides 2x10, wrist AROM 3x10, 1# wrist curls 2x15 - 15 min [97110]\n"
                        "Total: 15 min", payer="commercial")
    assert coded(s) == [("97110", 15)]
    assert not s.measurements


def test_held_today_is_held_and_prosthetic_training_is_97761(suggester):
    s = read(suggester, "Prosthetic training (initial encounter): donning/doffing liner and socket, 25 min.\n"
                        "US to R antecubital scar held today - small open area noted.\nTotal 25 min",
             discipline="PT", payer="commercial")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97761", "performed"), ("97035", "held")]


def test_terse_totals_and_unpunctuated_signatures(suggester):
    s = read(suggester, "TE 12' bike L3 x6', LAQ 3x10 2#\nGT 10' RW 150' x2 SBA\nTot 22'  timed 22'\n"
                        "P: 2x/wk, add step-ups 4\" nxt visit\n-- B. Haney PT", discipline="PT")
    assert [(i.cpt, i.minutes) for i in s.interventions if i.status == "performed"] == [("97110", 12), ("97116", 10)]
    assert all("Haney" not in i.text for i in s.interventions)


def test_a_labelled_line_whose_time_closes_it_is_one_item(suggester):
    s = read(suggester, "• Meal prep: pt prepared scrambled eggs at standing counter using built-up utensils; "
                        "mod I, 25 min\n• Total 25 min", payer="commercial")
    assert [i.minutes for i in s.interventions] == [25]
    assert s.interventions[0].text.startswith("• Meal prep")


@pytest.mark.parametrize("text", [
    "buttoned 3 of 5 buttons", "seven of ten trials correct", "sorted coins 8/10 correct", "FSS 41.",
    "Quad index 82% L vs R", "sacral sitting 2.0 fingerwidths", "Morning stiffness 30 min", "3 LOB on foam",
    "Itching 4/10", "Dix-Hallpike R positive", "DTRs 2+ B", "Tragus-to-wall 9 cm", "Grip (bulb) R 6 psi",
    "3 cm below olecranon 22.5 vs 21.0 cm", "dorsum pitting 2+", "best corrected acuity 20/400 OD",
    "reads 1.0M print", "she scored 3/5 on safety", "took 31 seconds to complete the peg test",
    "letter height 6 mm", "walks 15 min before needing to rest", "Sit to stand x5: 16 sec",
    "STS x 5 in 14.2 seconds",
])
def test_measurement_formats_of_other_writers(suggester, text):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    assert read(suggester, note).measurements, text


def test_a_timed_task_heading_is_no_tolerance_measurement(suggester):
    s = read(suggester, "Functional standing tolerance 8 min: unloading dishwasher, CGA.\nTotal 8 min.")
    assert [i.minutes for i in s.interventions] == [8]


@pytest.mark.parametrize("text, expected", [
    ("SpO2 96% at rest, 90% after stairs", "90% after stairs"),
    ("HR 80 resting, 112 after transfers", "112 after transfers"),
    ("Orthostatics: supine 130/80, standing 3 min 118/72", "supine 130/80"),
    ("blood pressure one thirty over seventy", "blood pressure one thirty over seventy"),
    ("9HPT R 27 sec, L 33 sec", "L 33 sec"),
    ("Box & Blocks R 40 / L 31", "L 31"),
    ("MAS R elbow flexors 1+, wrist flexors 2", "wrist flexors 2"),
    ("COPM performance 5.2 (was 3.0), satisfaction 6.1", "satisfaction 6.1"),
    ("Knee ext AROM 35", "Knee ext AROM 35"), ("Ring finger PIP flex 80 (R 100)", "R 100"),
    ("Popliteal angle R 40, L 45", "L 45"), ("Trunk flexion fingertips to knees", "fingertips to knees"),
])
def test_further_values_of_a_measurement_are_measurements(suggester, text, expected):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    s = read(suggester, note)
    start = note.index(expected)
    assert any(m.start < start + len(expected) and start < m.end for m in s.measurements), text


@pytest.mark.parametrize("text, expected", [
    ("PFM endurance 5 sec hold x 6 reps", "endurance 5 sec"),
    ("resting tone 4.1 μV", "4.1 μV"),
    ("COPM performance 3.2 -> 5.5, satisfaction 2.9 -> 6.0", "satisfaction 2.9"),
    ("Grip R 38# pain-free (elbow flexed), L 61#", "L 61#"),
    ("pain two out of ten at rest and six out of ten with stairs", "six out of ten"),
])
def test_dictated_ratings_and_values_after_a_comment(suggester, text, expected):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    s = read(suggester, note)
    start = note.index(expected)
    assert any(m.start < start + len(expected) and start < m.end for m in s.measurements), text


def test_exclamations_end_sentences_and_that_was_n_minutes_closes_the_work(suggester):
    s = read(suggester, "What a great day! We spent about 20 minutes on the trampoline and heavy work (wall pushes).\n"
                        "Then we practiced buttoning and zipping her coat for dressing at the mirror. "
                        "That was 10 minutes.",
             payer="commercial")
    timed = [(i.cpt, i.minutes) for i in s.interventions if i.minutes]
    assert timed[0] == ("97533", 20) and [m for _, m in timed] == [20, 10]


def test_a_bare_time_after_several_sentences_closes_the_work_they_describe(suggester):
    s = read(suggester, "Pt reports doing his stretches at home since last visit. Today we worked on dressing: "
                        "buttoning and zipping his jacket at the mirror. Needed cues for sequencing. 20 minutes.\n"
                        "Ther ex: rows 3x10. 10 min.\nTotal 30 min.", payer="commercial")
    assert [(i.cpt, i.minutes) for i in s.interventions if i.status == "performed"] == [("97535", 20), ("97110", 10)]


def test_an_unpunctuated_dictation_is_cut_at_each_named_service(suggester):
    s = read(suggester, "right shoulder occupational therapy note patient has a history of falls and reports pain "
                        "four out of ten today we did therapeutic exercise twelve minutes pulleys five minutes wand "
                        "flexion two sets of ten then manual therapy scapular mobilization nine minutes "
                        "gait training with cane on level surfaces eight minutes cues for step length hot pack "
                        "ten minutes total time thirty nine minutes", discipline="PT", payer="commercial")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions] == [
        ("97110", 12, "performed"), ("97140", 9, "performed"), ("97116", 8, "performed"), ("97010", 10, "performed")]


def test_a_time_after_a_spaced_hyphen_totals_the_line(suggester):
    s = read(suggester, "Ther ex: bike level 2 x 5 min, then standing hip abd 2x10 w/ 2# - 12 min.\nTotal 12 min.",
             discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 12)]


def test_a_functional_reach_task_is_no_test_score_and_a_tolerance_is_no_treatment_time(suggester):
    s = read(suggester, "• Functional reach/carry: standing, placed 2# jars x 15 onto shelf, tolerated standing 10 min "
                        "w/o rest; 10 min\n• Functional Reach 9.5 in\n• Total 10 min", payer="commercial")
    assert [i.minutes for i in s.interventions] == [10]
    assert [m.text for m in s.measurements] == ["tolerated standing 10 min w/o", "Functional Reach 9.5 in"]


def test_short_plan_items_name_their_code(suggester):
    s = read(suggester, "Ther ex 15 min: rows 3x10.\nTotal 15 min.\n"
                        "Plan: add static progressive PIP extension orthosis if plateau; wean SPC outdoors; "
                        "wean DBO wk 6.\nNext: add lateral step-downs\nRecheck in 2 wks for orthosis fit.",
             payer="commercial")
    planned = [(i.cpt, i.status) for i in s.interventions if i.status != "performed"]
    assert planned == [("97760", "planned"), ("97116", "planned"), ("97763", "planned"), ("97110", "planned"),
                       ("97763", "planned")]
    assert billed(s) == [("97110", 1)]


def test_handouts_are_home_programs_and_a_closing_total_is_no_part_of_the_plan(suggester):
    s = read(suggester, "Ther ex 20 min: rows 3x10, wall push-ups 2x10.\n"
                        "Handout given: joint protection for cooking. Return in 2 weeks for orthosis check. "
                        "Total 20 minutes.", payer="commercial")
    assert [(i.cpt, i.status) for i in s.interventions] == [
        ("97110", "performed"), ("97535", "home_program"), ("97763", "planned")]


def test_a_plan_or_home_program_sentence_after_a_heading_line_is_its_own_item(suggester):
    s = read(suggester, "TE 15' (bridges 2x15, SLR 3x10). Pain 2/10. Tol well. Cont HEP daily. Nxt visit add "
                        "step-ups.\nP: 2x/wk, add lateral step-downs nxt visit", discipline="PT", payer="commercial")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions] == [
        ("97110", 15, "performed"), ("97110", None, "home_program"), ("97110", None, "planned"),
        ("97110", None, "planned")]


def test_items_split_by_semicolons_share_the_time_of_their_line(suggester):
    s = read(suggester, "Habituation: rolling supine to sidelying x5, 1 Hz head turns in sitting; "
                        "optokinetic video 2 x 1 min - 14 min (97112).\n"
                        "- Lighting training 20 min: task lamp at desk; contrast tape on stairs; bold-line paper\n"
                        "Total 34 min", discipline="PT", payer="commercial")
    assert coded(s) == [("97112", 14), ("97535", 20)]


def test_a_closing_time_after_items_with_their_own_minutes_is_the_block_time(suggester):
    s = read(suggester, "- Finger glides 10 reps, putty (red) grip 2 min x 2, wrist AROM 2x10: 14 min.\n"
                        "97530 TherAct: card sorting + carrying 3 lb box 4 min .... 12 min\n"
                        "10:05-10:20  UBE 6 min + scapular PNF patterns\nTotal 41 min", payer="commercial")
    assert [i.minutes for i in s.interventions] == [14, 12, 15]


def test_minutes_at_a_line_end_before_an_assessment_heading_are_minutes(suggester):
    s = read(suggester, "Self-care: sleeve donning w/ glove, skin care routine — 9 min\nA: Good tolerance.\n"
                        "Volume L 2,310 mL / R 2,050 mL\nTotal 9 min", payer="commercial")
    assert coded(s) == [("97535", 9)]
    assert [m.kind for m in s.measurements] == ["edema", "edema"]  # one a side


def test_a_long_narrative_lead_with_its_time_and_a_colon_heads_its_items(suggester):
    s = read(suggester, "After the re-check we moved on to her home exercise routine for 16 minutes: pulleys and "
                        "table slides 3 minutes each, wand ER 2 x 10, and rows with red band 2 x 15. Total 16 minutes.",
             payer="commercial")
    assert coded(s) == [("97110", 16)]


def test_other_bullet_marks_and_a_labels_time_covering_its_parts(suggester):
    s = read(suggester, "Interventions:\n"
                        "◦ Desensitization (12 min): textures to residual limb, vibration 3 min; mirror therapy 6 min\n"
                        "▪ Ther ex (15 min): PREs 2# 3x10, scapular retraction 2x10\nTotal 27 min", payer="commercial")
    assert [i.minutes for i in s.interventions] == [12, 15]


def test_a_sentence_ending_in_degrees_or_pounds_ends_there(suggester):
    s = read(suggester, "Today I did PROM to the L shoulder for 12 minutes; PROM flexion was 0-110°. "
                        "She then did pendulums and wand exercises 2 x 10 for another 8 minutes. Total 20 minutes.",
             payer="commercial")
    assert [i.minutes for i in s.interventions] == [12, 8]


def test_a_bracketed_total_keeps_its_parts_together_and_an_evaluation_keeps_its_own_time(suggester):
    s = read(suggester, "Bike 6 minutes at level 2, then rows with green TB 3x10 for another 9 minutes "
                        "(ther ex 15 min total). Finished with cold pack 10 minutes.", payer="commercial")
    assert coded(s) == [("97110", 15), ("97010", 10)]
    s = read(suggester, "O: OT evaluation, moderate complexity (97166) - profile, history, 4 deficits.\n"
                        "Self-care training 12 min: sock aid, reacher.\nP: 2x/wk. Goal: dress indep incl. socks "
                        "in 3 wks; stand at sink 10 min.\nEval 40 min + tx 12 min = total 52 min.", payer="commercial")
    assert coded(s) == [("97166", 40), ("97535", 12)]


def test_a_one_to_one_session_next_to_a_group_is_no_group(suggester):
    s = read(suggester, "Pt attended hand group (5 participants, 1 OTR) 13:00-13:45: putty and tendon glides. "
                        "After group, 1:1 session 13:45-14:00 for ADL training: button hook and jar opener.",
             payer="medicare")
    assert [i.cpt for i in s.interventions] == ["97150", "97535"]


def test_a_bare_rating_in_the_patients_report_is_pain(suggester):
    s = read(suggester, "S: a bit better, 4/10 this am.\nTE 15' bridges 2x10.", discipline="PT", payer="commercial")
    assert [(m.kind, m.text) for m in s.measurements] == [("pain", "4/10")]


def test_a_clock_range_and_its_stated_length_are_one_time(suggester):
    s = read(suggester, "Group: 4 children, 1 OTR/L; 1400-1430 (30 min): obstacle course, ball toss.", payer="medicaid")
    assert [i.minutes for i in s.interventions] == [30]


def test_minutes_prescribed_for_home_are_no_treatment_time(suggester):
    s = read(suggester, "Ther ex 15 min: wall push-ups 2x10, bear walks x4.\nTry at home: 5 minutes of animal walks "
                        "before homework.\nTotal 15 min", payer="medicaid")
    assert [(i.minutes, i.status) for i in s.interventions] == [(15, "performed"), (None, "home_program")]


def test_hep_instruction_with_its_time_is_still_billed(suggester):
    s = read(suggester, "HEP: 8 min instruction in wall slides and rows w/ red TB, return demo.\nTotal 8 min",
             payer="commercial")
    assert [(i.minutes, i.status) for i in s.interventions] == [(8, "home_program")] and billed(s) == [("97110", 1)]


def test_items_each_with_their_time_after_a_comma_are_summed(suggester):
    s = read(suggester, "Ther ex: UBE 5 min, rows 3x10, 10 min.\nTotal 15 min", payer="commercial")
    assert [i.minutes for i in s.interventions] == [15]


def test_units_written_after_a_heading_are_billed_when_the_total_supports_them(suggester):
    s = read(suggester, "Tx: TE x2u (nerve glides, elbow AROM 2x15), SC x1u (elbow pad use, keyboard setup).\n"
                        "Total timed 40 min / total 40 min.")
    assert coded(s) == [("97110", None), ("97535", None)]
    assert billed(s) == [("97110", 2), ("97535", 1)]
    assert "MISSING_TIMED_MINUTES" in {w.code for w in s.warnings}


def test_a_billed_sentence_is_no_work_and_its_units_go_to_its_codes(suggester):
    s = read(suggester, "Ther ex: pulleys, wand flex, isometrics 2x10. Manual therapy: GH glides gr II. "
                        "Total treatment 30 minutes. Billed 97110 x1, 97140 x1. D. Kaminski, OTR/L")
    assert [i.cpt for i in s.interventions] == ["97110", "97140"]
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_units_line_with_code_dash_units(suggester):
    s = read(suggester, "Interventions: ther ex (pulleys, wand 2x10); manual (GH glides gr II).\n"
                        "Total timed minutes: 30. Total treatment: 30 min.\nUnits: 97110-1, 97140-1.")
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_held_in_a_balance_test_is_no_hold(suggester):
    s = read(suggester, "NMR 15 min: tandem stance, SLS. Four Stage Balance Test: held tandem 6 sec. TTT 15 min")
    assert all(i.status != "held" for i in s.interventions)


def test_time_in_and_out_give_the_total_treatment_time(suggester):
    s = read(suggester, "Time in 15:00 / Time out 15:55.\nTher ex 25 min: wand flex, wall walks 2x10.\n"
                        "Manual 10 min: STM deltoid. Ther act 15 min: placing cans into cabinet.")
    assert s.totals.total_treatment_minutes == 55
    assert "MISSING_TOTAL_TIME" not in {w.code for w in s.warnings}


def test_minutes_marked_included_are_not_added(suggester):
    s = read(suggester, "Ther ex 25 min - plank 3x20 s, bird dog 2x10; bike 6 min (incl).\nTotal timed 25 min")
    assert coded(s) == [("97110", 25)]


def test_a_block_total_that_includes_its_warm_up(suggester):
    s = read(suggester, "Warm-up on UBE 6 min fwd/back, then wand flex to 140°, wall walks 2x10 - ther ex 20 min "
                        "total (incl UBE). Total 20 min")
    assert coded(s) == [("97110", 20)]


def test_followed_by_starts_the_next_timed_work(suggester):
    s = read(suggester, "Scar massage and desensitization were performed for 8 minutes followed by tendon gliding "
                        "and gripping exercises for 14 minutes. Total session 22 minutes.")
    assert [i.minutes for i in s.interventions] == [8, 14]


def test_a_log_line_clock_range_before_a_heading(suggester):
    s = read(suggester, "09:02-09:14 Ther ex: bridges 2x12, heel slides, 12 min\n"
                        "09:14-09:26 Gait: no AD, 300 ft, stairs x1 flight, 12 min\nTotal timed 24 min")
    assert coded(s) == [("97110", 12), ("97116", 12)]


def test_moist_heat_abbreviation_and_approximate_block_time(suggester):
    s = read(suggester, "MH 10 min c/t region prior to tx. Functional: picking up coins, opening pill bottles, "
                        "keyboarding 5 min trial - approx 15 min. Total 25 min", payer="commercial")
    assert coded(s) == [("97010", 10), ("97530", 15)]


def test_a_value_cut_inside_a_minute_range_is_no_measurement(suggester):
    s = read(suggester, "Tendon glides, wrist AROM, gentle composite grip w/ soft foam 10-12 min. Total 10 min")
    assert [i.minutes for i in s.interventions] == [10]


def test_evaluation_complexity_stated_away_from_its_time(suggester):
    s = read(suggester, "OT INITIAL EVALUATION - R shoulder impingement\nHx: 68 yo M, 3 mo R shoulder pain.\n"
                        "Assessment: ROM deficits limiting UB dressing. Moderate complexity.\n"
                        "Plan: 2x/wk x 6 wks.\nEval 35 min. Total 35 min.")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions] == [("97166", 35, "performed")]
    assert billed(s) == [("97166", 1)]


def test_heading_times_written_x20_prime_15m_and_0_38(suggester):
    s = read(suggester, "Gait training x20' - amb 300 ft x2 w/ SPC, obstacle negotiation.\n"
                        "NMR 15m - SLS on foam w/ ball toss.\nTher act 0:38:\n * handwriting on double-line paper\n"
                        " * in-hand manipulation of pennies\nDad given HEP sheet: tweezer games.\nTotal tx time 73 min")
    assert coded(s)[:3] == [("97116", 20), ("97112", 15), ("97530", 38)]
    assert s.interventions[3].status == "home_program"


def test_feet_after_x_stay_feet(suggester):
    s = read(suggester, "Gait training 12 min: amb x 200' w/ RW, SBA. Total 12 min")
    assert coded(s) == [("97116", 12)]


def test_a_charges_list_times_the_work_described_above_it(suggester):
    s = read(suggester, "Ther ex: prone press-ups 3x10, bird dog 2x10.\nManual: CPA L4-5 gr III, STM R QL.\n"
                        "=== Charges ===\n97110 Ther ex          20 min\n97140 Manual           10 min\n"
                        "Total timed 30 / total tx 45\nJ. Whitaker, PT", discipline="PT")
    assert coded(s) == [("97110", 20), ("97140", 10)]
    assert s.totals.total_treatment_minutes == 45
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_a_space_aligned_table_with_a_minutes_column(suggester):
    s = read(suggester, "TREATMENT                                                 MIN\n"
                        "  MLD L UE w/ trunk clearance                               35\n"
                        "  Ther ex: shoulder circles, wall climb 2x10                 10\n"
                        "                                                          ----\n"
                        "  TOTAL                                                     45\n", payer="commercial")
    assert coded(s) == [("97140", 35), ("97110", 10)]


def test_charges_list_times_a_functional_activity_block(suggester):
    s = read(suggester, "Functional activity: standing at counter for simulated grocery put-away, CGA.\n\n"
                        "Billing:\n97530 Therapeutic activities ....... 15 min\nTotal timed 15 min | Total tx 15 min")
    assert coded(s) == [("97530", 15)]


def test_timed_work_listed_after_a_plan_line_is_todays_work(suggester):
    s = read(suggester, "Plan: 2x/wk x 8 wks - ther ex, ther act, self-care training.\n"
                        "OT eval, moderate complexity (97166): 50 min\nTotal tx time 50 min.")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions if i.cpt == "97166"] == [("97166", 50, "performed")]
    s = read(suggester, "P:\n- Hot pack to C/T spine x 15 min\n- TherEx 20 min: chin tucks 2x10\nTotal time 35 min",
             payer="commercial", discipline="PT")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97010", "performed"), ("97110", "performed")]


def test_a_plan_without_times_stays_planned(suggester):
    s = read(suggester, "Ther ex 20 min: chin tucks 2x10.\nP: add hot pack next visit; progress to GTB.")
    assert {i.status for i in s.interventions[1:]} == {"planned"}


def test_measurement_lists_after_a_joint_with_slashes_bp_rechecks_pinch_types(suggester):
    text = ("AROM (R): wrist ext 35 / flex 30 / RD 10 / UD 20 ; sup 60 / pron 75\n"
            "BP 146/88 seated, 150/90 after gait; rechecked 162/94 after 5 min rest.\n"
            "Pinch: tip 3 lb, lateral 5 lb. Grip L 22 lb (R 70).")
    s = read(suggester, text)
    found = {text[m.start:m.end] for m in s.measurements}
    assert {"flex 30", "RD 10", "UD 20", "sup 60", "pron 75", "lateral 5 lb", "R 70"} <= found
    assert any("150/90" in f for f in found) and any("162/94" in f for f in found)


def test_a_first_name_before_a_slash_keeps_the_heading(suggester):
    s = read(suggester, "PROM/manual: GH PROM flex, scaption, ER in scapular plane 10 min.\nTotal 10 min")
    assert coded(s) == [("97140", 10)]


def test_a_gait_finding_is_no_gait_training(suggester):
    s = read(suggester, "O: Gait: amb w/ SPC 150 ft, antalgic, decr stance R.\nGait training 12 min: cues for step "
                        "length, 300 ft w/ SPC.\nTotal 12 min", discipline="PT")
    assert coded(s) == [("97116", 12)]


def test_supervisor_lines_and_falls_at_home_are_no_interventions(suggester):
    s = read(suggester, "Pt s/p hip fx (fall at home). Ther ex 15 min: bridges 2x10.\nTotal 15 min\n"
                        "Supervising OTR: D. Rossi\nRosa Delgado, M.A., CCC-SLP")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97110", "performed")]


def test_a_code_and_minutes_table_times_the_narrative_above_it(suggester):
    s = read(suggester, "Pt began on the pulleys, then theraband ER/IR 3x10 and rows 3x10. Manual therapy: GH "
                        "inferior glides gr III.\nCODE      MIN\n97110     20\n97140     10\n"
                        "Total timed 30   Total tx 30")
    assert coded(s) == [("97110", 20), ("97140", 10)]
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_an_assessment_and_plan_heading_is_no_evaluation(suggester):
    s = read(suggester, "Tx:\nNMR (97112) 20 min - weight bearing through R UE, mirror therapy grasp/release 2 min x 3 "
                        "trials\nAssessment/Plan: Improved sequencing in UB dressing. Cont NMR.\nTTM 20 / TTT 20",
             discipline="OT")
    assert ("97112", 20) in coded(s)  # the bracketed code sits between the heading and its minutes
    assert billed(s) == [("97112", 1)]


def test_a_flowsheet_p_with_a_pain_score_is_pain_and_items_close_with_their_code(suggester):
    s = read(suggester, "03/02/26 | OT | P: 3/10 rest 5/10 reach | AAROM pulleys 2x10, wand ER 2x10, pendulums 2' "
                        "= TE 16 | GH mobs gr II + STM upper trap = MT 9 | Tot timed 25 | Tot 25", discipline="OT")
    assert coded(s) == [("97110", 16), ("97140", 9)]
    assert [i.status for i in s.interventions] == ["performed", "performed"]
    assert "MISSING_TOTAL_TIME" not in {w.code for w in s.warnings}  # "| Tot 25" is the total


def test_items_closed_by_their_code_at_the_end_of_a_line_keep_its_minutes(suggester):
    s = read(suggester, "O: pulleys 2x10, wand ER 2x10 = TE 16\nputty pinch, pegs = TA 12\nTotal 28 min",
             discipline="OT")
    assert coded(s) == [("97110", 16), ("97530", 12)]  # was no minutes: the line break was no end of the item


def test_a_timed_evaluation_line_naming_its_complexity_wins_over_a_bare_title(suggester):
    text = ("OUTPATIENT OT INITIAL EVALUATION\nPt reports pain 7/10.\nEvaluation (moderate complexity) completed 42 "
            "min including hx and POC.\nTotal treatment time 42 min.")
    s = read(suggester, text, discipline="OT")
    evaluation = next(i for i in s.interventions if i.cpt == "97166")
    assert text[evaluation.start:evaluation.end].startswith("Evaluation (moderate complexity) completed 42 min")
    s = read(suggester, "Low complexity eval completed: 30 min.\nTotal 30 min.", discipline="OT")
    assert billed(s) == [("97165", 1)]


def test_a_list_items_parts_share_its_closing_time(suggester):
    from nlp.layout import find_clauses, find_sections
    patterns = suggester.pipeline.get_pipe("notecode_layout").patterns
    item = "1) Self-feeding training w/ universal cuff; pt fed self yogurt w/ set-up (15 min)"
    text = f"Treatment provided:\n{item}\nTotal tx time 15 min."
    clauses = find_clauses(text, patterns, find_sections(text, patterns))
    assert item in [text[c.start:c.end] for c in clauses]  # one item, not "...cuff" untimed and "pt fed ... (15 min)"


def test_held_in_extension_is_no_hold_and_these_activities_took_closes_the_work(suggester):
    s = read(suggester, "97110 x1 -- AROM in orthosis, DIP isolated flex w/ PIP held ext 10 reps. 12 min.\nTotal 12 "
                        "min.")
    assert [i.status for i in s.interventions] == ["performed"]
    s = read(suggester, "Reviewed hip precautions. LB dressing with reacher and sock aid. These activities took 32 "
                        "min. Total time 32 min.", discipline="OT")
    assert [m for _, m in coded(s)] == [32]


def test_rest_totaling_minutes_is_no_total_and_a_qualified_timed_total_is(suggester):
    s = read(suggester, "Session: 2:00-3:00 pm. Rest breaks totaling ~8 min excluded.\nGait training 22 min: BWSTT.\n"
                        "Ther ex 15 min: bridging 2x10.\nNMR 15 min: tall kneeling.\nTotal tx time 52 min.",
             payer="medicare")
    assert billed(s) == [("97110", 1), ("97112", 1), ("97116", 1)]
    s = read(suggester, "TE 18 min: press-ups 2x10\nMT 12 min: PA mobs\nTotal timed (skilled): 30 min / total 30 min")
    assert coded(s) == [("97110", 18), ("97140", 12)]


def test_participating_in_a_group_is_the_group(suggester):
    s = read(suggester, "Balance Group (PT-led) - 5 participants\nPt participated in full 45 min group: seated "
                        "warm-up, standing balance circuit.\nPlan: cont group 1x/wk.")
    assert billed(s) == [("97150", 1)]


def test_an_untimed_list_of_headed_items_and_a_bare_units_line(suggester):
    s = read(suggester, "Interventions: therapeutic exercise (wrist AROM, tendon glides, putty), manual therapy (joint "
                        "mobs radiocarpal), orthotic check - prefab wrist cock-up adjusted.\n97110 x 2, 97140 x 1, "
                        "97763 x 1\nTotal timed minutes 53, total treatment time 53.", payer="medicare")
    assert [c for c, _ in coded(s)] == ["97110", "97140", "97763"]
    assert billed(s) == [("97110", 2), ("97140", 1), ("97763", 1)]


def test_items_timed_with_a_bare_m(suggester):
    s = read(suggester, "wk 5. Scar massage 8m, AROM/blocking/tendon glides 12m + light putty 4m. Amb 30m in clinic.")
    assert coded(s) == [("97140", 8), ("97110", 16)]


def test_aligned_table_with_a_code_column_and_dotted_leaders(suggester):
    s = read(suggester, "Treatment              Min   CPT\nTherapeutic exercise   20    97110\nManual therapy         8"
                        "     97140\nTotal                  28", payer="commercial")
    assert coded(s) == [("97110", 20), ("97140", 8)]
    s = read(suggester, "Ther ex .................... 20 min (band ER/IR 3x15)\nManual ..................... 10 min "
                        "(post glides GH)\nTotal ...................... 30 min", payer="commercial")
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_a_billing_list_with_bare_figures_times_the_work_above(suggester):
    s = read(suggester, "Interventions: hip/core strengthening (side planks 3x20 s, monster walks green band); "
                        "neuromuscular control - step-downs with mirror feedback.\nBilling\n97110 .... 18\n97112 "
                        ".... 16\nTotal treatment minutes 34", payer="medicaid")
    assert coded(s) == [("97110", 18), ("97112", 16)]


def test_no_narrative_cut_inside_brackets_and_a_bracketed_subtotal_is_no_total(suggester):
    s = read(suggester, "MLD 30 min (trunk clearing then arm), followed by self-bandaging training 15 min: pt and "
                        "husband practiced layering.\nTotal 45 min.", discipline="OT")
    assert coded(s) == [("97140", 30), ("97535", 15)]
    s = read(suggester, "Tx: Manual (joint mobs) 16 min; stretch elbow ext w/ 2 lb 10 min + AAROM sup/pron 8 min "
                        "(ther ex total 18 min); functional reach / carry tasks (ther act) 9 min.\nTotal 43 min.",
             payer="medicare")
    assert billed(s) == [("97110", 1), ("97140", 1), ("97530", 1)]


def test_a_semicolon_item_naming_another_code_with_its_own_minutes_is_the_next_item(suggester):
    s = read(suggester, "Tx: balance/proprioception - SL stance on foam, star excursion reaching, perturbations "
                        "(NMR) 18 min; ankle strengthening band 4-way 3x15, heel raises (TE) 12 min.")
    assert coded(s) == [("97112", 18), ("97110", 12)]


def test_bulleted_headings_end_at_the_next_bullet_and_a_time_line_is_the_total(suggester):
    s = read(suggester, "Treatment:\n• Balance (Otago) — 13 min\n   tandem stance 3x10 s\n• Gait trg — 12 min\n   SPC "
                        "300 ft\nTime — 25 min total, 25 timed")
    assert coded(s) == [("97112", 13), ("97116", 12)]
    assert "MISSING_TOTAL_TIME" not in {w.code for w in s.warnings}


def test_the_patients_answer_after_an_offer_sets_its_status(suggester):
    s = read(suggester, "Ther ex 22 min: calf raises 3x10.\nOffered vasopneumatic compression at end; pt declined (had "
                        "to pick up kids).\nTotal 22 min.", payer="commercial")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97110", "performed"), ("97016", "declined")]
    assert billed(s) == [("97110", 1)]


def test_a_block_closed_by_its_codes_name_and_time_takes_that_code(suggester):
    s = read(suggester, "Hierarchy task: walking while carrying laundry basket w/ big steps, 3 laps - gait 12 min.\n"
                        "SMO check: new B SMOs - fit checked; strap repositioned, added padding - orthotic mgmt 8 "
                        "min.\nTotal 20 min.", payer="commercial")
    assert coded(s) == [("97116", 12), ("97763", 8)]


def test_a_fall_on_ice_is_no_ice_pack(suggester):
    s = read(suggester, "Patient: 58 y/o F, s/p ORIF R humerus after fall on ice.\nTher ex 20 min: UBE, rows 2x12.\n"
                        "Total 20 min.")
    assert billed(s) == [("97110", 1)]


def test_minutes_in_hours_bare_m_in_brackets_and_bare_cells_after_a_heading(suggester):
    s = read(suggester, "NMR (97112) ~ half an hour: weight bearing on therapy ball, mirror therapy.\nADL (97535) "
                        "10 min: toothpaste on brush.\nTime: 40 min total.", discipline="OT")
    assert coded(s) == [("97112", 30), ("97535", 10)]
    s = read(suggester, "Mech traction lumbar 70 lb intermittent x12m (97012)\nTher ex x18m: prone press-ups, SKTC\n"
                        "Core strengthening (12m): prone extension holds 3x20 s\nTotal 42m.")
    assert [m for _, m in coded(s)] == [12, 18, 12]
    s = read(suggester, "TE 15 | NuStep L3, LAQ 2#, standing hip abd 2x10\nNMR 23 | weight shift in standing w/ "
                        "mirror\nTotal timed 38 min / total 38")
    assert coded(s) == [("97110", 15), ("97112", 23)]
    s = read(suggester, "Prosthetic training 32 min: donning; wear schedule 1 hr on then skin check.\nTotal 32 min.")
    assert [m for _, m in coded(s)] == [32]
    s = read(suggester, "Pt on-medication, took carbidopa/levodopa 1 hr prior.\nTher ex 20 min: big "
                        "reaching.\nTotal 20 min.")
    assert [m for _, m in coded(s)] == [20]


def test_a_table_time_column_and_rows_grouped_under_a_heading(suggester):
    s = read(suggester, "Intervention | Time | Detail\nTher ex | 16' | pelvic tilts 2x10, bridges 2x12\nNM re-ed | "
                        "11' | TA activation in standing\nTotal timed: 27'")
    assert coded(s) == [("97110", 16), ("97112", 11)]
    s = read(suggester, "Ex\tSets/reps\tMin\nTher ex:\n  bike\t-\t7\n  leg press\t3x10 90#\t5\nNeuro re-ed:\n  SL "
                        "balance on BOSU\t4x30s\t6\n  perturbations\t-\t5\nTotal 23 min", payer="commercial")
    assert coded(s) == [("97110", 12), ("97112", 11)]


@pytest.mark.parametrize("text, expected", [
    ("Cervical AROM — flex 40, ext 35, rot R 60 / L 70, SB R 25 / L 30", ["ext 35", "rot R 60", "L 70", "L 30"]),
    ("AROM R wrist flex 58 ext 52 sup 75 pron 80", ["ext 52", "sup 75", "pron 80"]),
    ("PROM IF (in splint): MP 70 / PIP 85 / DIP 40", ["MP 70", "PIP 85", "DIP 40"]),
    ("Elbow AROM 15-130. Sup 55 / pron 70", ["Sup 55", "pron 70"]),
    ("AROM shoulder flex 0-90, elbow ext lacks 15", ["ext lacks 15"]),
    ("Shoulder IR: thumb to T12", ["IR: thumb to T12"]),
    ("Knee girth 2 cm above patella: L 45 cm, R 42.5 cm", ["L 45 cm", "R 42.5 cm"]),
    ("Circumference R: 8 cm proximal to wrist 20.5 cm, at elbow crease 26.5 cm", ["at elbow crease 26.5 cm"]),
    ("Limb circumference: 5 cm below tibial tubercle 30.0 cm, 10 cm 27.5 cm", ["30.0 cm", "10 cm 27.5 cm"]),
    ("Vitals: BP 128/76, P 70, SpO2 97% RA", ["P 70"]),
    ("HR 90 rest, 118 after stair climb, 96 after rest", ["96 after rest"]),
    ("BP 184/100, rechecked after 5 min rest 176/98", ["176/98"]),
    ("9-hole peg dominant 24 s, non-dominant 30 s", ["non-dominant 30 s"]),
    ("Purdue R 12, L 11, both 8", ["both 8"]),
    ("Pinch: key R 10 lb, L 12 lb; tip R 4 lb, L 6 lb", ["tip R 4 lb", "L 6 lb"]),
    ("FIM: eating 6, grooming 5, LB dressing 4", ["grooming 5", "LB dressing 4"]),
    ("10MWT comfortable 0.80 m/s, fast 1.05 m/s", ["fast 1.05 m/s"]),
    ("Trail Making B 98 s. FOTO knee 61. Pn 3/10", ["Trail Making B 98 s", "FOTO knee 61", "Pn 3/10"]),
    ("Pain (NPRS) ............ 3/10 rest, 5/10 lifting", ["3/10", "5/10"]),
    ("Balance\nTUG | 12.4 s with RW\n5xSTS | 15.0 s", ["12.4 s", "15.0 s"]),
    ("R shoulder: flex 150, abd 140, ER 60, IR 45", ["flex 150", "abd 140", "ER 60", "IR 45"]),
    ("Hip flex 100, IR 20. Knee ext -10. Cervical rotation R 60, L 70", ["flex 100", "IR 20", "ext -10", "L 70"]),
    ("Grip (kg) R 20.5 L 28", ["R 20.5", "L 28"]), ("Pain: 2, pain level 3", ["Pain: 2", "pain level 3"]),
    ("COPM perf 4.2 sat 3.8. Neck Disability Index 28%. Patient-Specific Functional Scale 5.3", ["3.8", "28%", "5.3"]),
    ("Grip 9 lb R / 8 lb L. Key pinch 11# R, 14# L", ["8 lb L", "14# L"]),
    ("Y-balance ant reach L 58 cm, R 66 cm", ["R 66 cm"]),
    ("Four Stage Balance Test: tandem 6 sec. 5 times sit to stand 15.2 sec. 30 second sit to stand 8 reps",
     ["tandem 6 sec", "15.2 sec", "8 reps"]),
    ("Grip strength measured 42 pounds on the right and 58 pounds on the left", ["58 pounds on the left"]),
    ("Nine-hole peg test took 32 seconds on the right and 28 seconds on the left", ["28 seconds on the left"]),
    ("Figure-of-eight 52.0 cm right, 49.5 cm left. Volumetry L arm 2,310 mL, R arm 1,980 mL", ["49.5 cm", "R arm"]),
    ("Blood pressure 134/82, pulse 78", ["134/82"]),
])
def test_motion_lists_landmarks_sides_and_two_cell_rows_are_measurements(suggester, text, expected):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    s = read(suggester, note)
    for value in expected:
        start = note.index(value)
        assert any(m.start < start + len(value) and start < m.end for m in s.measurements), (text, value)


def test_a_volume_with_a_thousands_comma_keeps_its_value(suggester):
    s = read(suggester, "Ther ex 15 min: UBE.\nVolumetry: L arm 2,310 mL, R arm 1,980 mL.\nTotal 15 min.")
    assert [(m.kind, m.value) for m in s.measurements] == [("edema", 2310.0), ("edema", 1980.0)]


def test_table_rows_named_by_their_own_label(suggester):
    note = ("Ther ex 15 min: UBE.\n| Measure | R | L |\n| Wrist flex AROM | 50-70 | 0-80 |\n"
            "| Grip (Jamar II) | 40 lb | 70 lb |\n| 2PD index | 6 mm | 4 mm |\n| Pain (NPRS) | 4 | - |\nFlowsheet\n"
            "Measure                Today     Prior (02/01)\nWrist ext AROM R       45        30\n"
            "RD R                   12        8\nPain now (0-10)        3         6\nTotal 15 min.")
    s = read(suggester, note)
    found = [(m.kind, note[m.start:m.end]) for m in s.measurements]
    assert [f for f in found if f[1] in ("50-70", "0-80", "40 lb", "70 lb", "4", "12", "3")] == [
        ("rom", "50-70"), ("rom", "0-80"), ("grip", "40 lb"), ("grip", "70 lb"), ("pain", "4"), ("rom", "12"),
        ("pain", "3")]
    assert not [f for f in found if f[1] in ("6 mm", "4 mm", "8", "6", "30")]


def test_exercise_motions_plans_and_landmark_distances_are_no_measurements(suggester):
    s = read(suggester, "Ther ex 15 min: wrist flex 3x10 ext 2x15, sup/pron 2x10 w/ 1 lb; hip abd 2x10, hip ext 3x10 "
                        "w/ 2#, shoulder flex 10 reps, knee ext 20 sec hold, hip flex 15 each side.\n"
                        "P: 2x/wk x 4 wks, recheck edema 10 cm above elbow. Pain: 2 days ago.\nTotal 15 min.")
    assert s.measurements == []


def test_a_joint_before_a_grade_leaves_the_grade_to_mmt(suggester):
    s = read(suggester, "Ther ex 15 min: UBE.\nMMT: shoulder flex 4-/5, hip abd 3+/5. Wrist flex R 0-40, L 0-52.\n")
    assert [(m.kind, m.text) for m in s.measurements] == [
        ("mmt", " 4-/5"), ("mmt", " 3+/5"), ("rom", "Wrist flex R 0-40"), ("rom", "L 0-52")]


def test_a_labelled_summary_with_its_sum_times_the_blocks_above(suggester):
    s = read(suggester, "Ther ex: quad sets, heel slides with strap, SLR 2x10.\nManual: patellar mobs, STM distal "
                        "quad.\n"
                        "Cold pack with elevation post tx.\nTimed: TE 20, MT 10 = 30 min; total incl. CP 40 min.",
             payer="medicare")
    assert billed(s) == [("97110", 1), ("97140", 1)]
    s = read(suggester, "Exercises: calf raises 3x15, ankle 4-way w/ green TB 2x15.\nBalance: SLS on foam 4x30 sec, "
                        "tandem walk.\nSummary: TE 15 / NMR 12; total 27", payer="medicaid")
    assert coded(s) == [("97110", 15), ("97112", 12)]


def test_a_total_closing_a_code_line_is_the_blocks_and_cpt_units_are_no_sets(suggester):
    s = read(suggester, "TE 97110 x3 units - NuStep L4 10 min, leg press 2x12 50#, TKE w/ band, total 33 min\nGT "
                        "97116 x1 - "
                        "12 min, stairs reciprocal w/ 1 rail\nTotal treatment 45 min, timed 45 min.", payer="medicare")
    assert coded(s) == [("97110", 33), ("97116", 12)]
    assert billed(s) == [("97110", 2), ("97116", 1)]


def test_two_column_tab_tables_bare_heading_figures_before_a_dash_and_classes(suggester):
    s = read(suggester, "Treatment\tMin\nParaffin R hand\t10\nTher ex: thenar isometrics, web space stretch\t22\n"
                        "Manual: CMC distraction/glides\t7\nTotal\t39", payer="commercial")
    assert coded(s) == [("97018", 10), ("97110", 22), ("97140", 7)]
    s = read(suggester, "TherEx 15 - supine wand flex, pulleys, isometrics 5x10s\nThAct 8 - reach to cabinet w/ "
                        "light cups\nMT 7 - gentle PROM GH, scap mobs\nTotal 30 min", payer="medicare")
    assert coded(s) == [("97110", 15), ("97530", 8), ("97140", 7)]
    s = read(suggester, "PT group session - back care class\nClass of 5 pts, 1 PT, 45 min: lifting mechanics "
                        "practice, core activation circuit.", payer="commercial")
    assert billed(s) == [("97150", 1)]
    s = read(suggester, "13:00 NMR - L UE: weight bearing through forearm, PNF D2 patterns, NMES off today\n13:18 "
                        "session ended\nTotal 18 min", payer="commercial")
    assert billed(s) == [("97112", 1)]


def test_billing_lines_that_name_codes_by_heading_time_the_work(suggester):
    s = read(suggester, "Performed today:\na) thumb AROM opposition, CMC abduction, IP blocking 2x10\nb) scar "
                        "mobilization "
                        "and thenar STM\nBilling - Therapeutic exercise 16 min; Manual therapy 8 min; Total 24 min.",
             payer="commercial")
    assert coded(s) == [("97110", 16), ("97140", 8)]
    s = read(suggester, "Performed:\nchin tucks 2x10 supine, scap retraction w/ red band 2x15\nsuboccipital "
                        "release; C-spine "
                        "PA mobs grade II-III C4-6\nBilling:\nTher Ex ........ 17 min\nManual ......... 15 min\n"
                        "Total time ..... 32 min", payer="commercial")
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_listed_items_timed_only_by_a_charges_list_are_kept_and_timed(suggester):
    s = read(suggester, "Pt seen for fine motor and ADL speed.\n- putty exercises for grip strength\n- buttoning "
                        "cardigan "
                        "and managing utensils with built-up handles\nCharges:\n97110 - 14 min\n97535 - 13 min\n"
                        "Total timed 27 min / total 27 min", payer="commercial")
    assert coded(s) == [("97110", 14), ("97535", 13)]
    s = read(suggester, "THER ACT 97530: 30 MIN - BED MAKING WITH PACING, KITCHEN TASK 6 MIN BOUTS X3\nTOTAL TIMED "
                        "30 MIN",
             discipline="OT")
    assert coded(s) == [("97530", 30)]


@pytest.mark.parametrize("text, expected", [
    ("Neck rotation AROM: R 62 / L 45", ["Neck rotation AROM: R 62", "L 45"]),
    ("Lumbar SB AROM L 20 R 25", ["Lumbar SB AROM L 20", "R 25"]),
    ("hip flexion today is one hundred ten and extension was minus five", ["one hundred ten", "minus five"]),
    ("elbow flexion is one thirty five", ["one thirty five"]),
    ("hamstring strength three plus over five", ["three plus over five"]),
    ("grip strength left thirty pounds, right fifty five pounds", ["left thirty pounds", "right fifty five pounds"]),
    ("4 m walk test 0.62 m/s", ["0.62 m/s"]), ("heart rate after the stairs 118 bpm", ["118 bpm"]),
    ("still painful, 5/10", ["5/10"]), ("Grip R avg 40 lb, max 46 lb; L 62 lb", ["max 46 lb", "L 62 lb"]),
    ("| Measure | Today |\n| Long MCP flex (active) | 10-75 |\n| Girth mid-forearm | 24.5 cm |\n| Pain | 3/10 |",
     ["10-75", "24.5 cm"]),
])
def test_dictated_values_spine_motions_and_one_value_rows_are_measurements(suggester, text, expected):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    s = read(suggester, note)
    for value in expected:
        start = note.index(value)
        assert any(m.start < start + len(value) and start < m.end for m in s.measurements), (text, value)


def test_exercise_targets_and_times_in_words_are_no_measurements(suggester):
    note = ("Ther ex twenty minutes: shoulder flexion is ten reps two sets, knee extension was three sets of ten, "
            "lifted twenty pounds to the shelf.\n| Intervention | Min |\n| Wrist flex/ext AROM | 12 |\n"
            "| Edema massage | 8 |\nTotal 40 min.")
    assert read(suggester, note).measurements == []


@pytest.mark.parametrize("text, expected", [
    ("O2 saturation 96 percent", "96 percent"), ("TAM index finger 210", "210"),
    ("Finger to palm distance 2 cm", "2 cm"), ("Sit and reach -4 cm", "-4 cm"),
    ("Rates her pain a 5", "a 5"), ("pain rated as a 6 today", "a 6"), ("pain is a 3 with stairs", "a 3"),
    ("Forearm sup/pro 60/70", "60/70"), ("Shoulder elevation 150", "150"),
    ("Vitals stable: BP 128/78, P 76, O2 96%", "P 76"), ("2 MWT 350 ft", "350 ft"),
    ("6MWD 1200 feet", "1200 feet"), ("Volumeter R hand 480 mL", "480 mL"),
])
def test_written_out_units_ratings_and_named_distances_are_measurements(suggester, text, expected):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    s = read(suggester, note)
    start = note.index(expected)
    assert any(m.start < start + len(expected) and start < m.end for m in s.measurements), text


def test_pain_history_and_durations_are_no_ratings(suggester):
    note = "Ther ex 15 min: UBE.\nPain was 3 weeks ago, pain is 2 days better. Rates pain 2x daily.\nTotal 15 min."
    assert read(suggester, note).measurements == []


@pytest.mark.parametrize("text, expected", [
    ("shoulder flexion active one hundred forty degrees, abduction one thirty", "abduction one thirty"),
    ("heart rate ninety two, oxygen saturation ninety four percent", "ninety four percent"),
    ("heart rate ninety two after the walk", "ninety two"), ("SaO2 95%", "95%"), ("BP (sitting): 118/76", "118/76"),
    ("Pain (0-10): 4", "4"), ("Grip (elbow ext) L 48 lb pain-limited / R 82 lb", "R 82 lb"),
    ("Objective\tKnee flex 0-135\tExt 0\tLEFS 61/80", "Ext 0"),
])
def test_dictated_vitals_and_motions_and_qualified_second_values_are_measurements(suggester, text, expected):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    s = read(suggester, note)
    start = note.index(expected, note.index("\n"))
    assert any(m.start < start + len(expected) and start < m.end for m in s.measurements), text


def test_dictated_exercise_counts_are_no_measurements(suggester):
    note = ("Ther ex twenty minutes: shoulder abduction one twenty times over the session, heart rate training "
            "thirty minutes.\nTotal 20 min.")
    assert read(suggester, note).measurements == []


@pytest.mark.parametrize("text, expected", [
    ("Knee flexion R/L 110/135", "110/135"), ("Shoulder flexion (R/L): 120/170", "120/170"),
    ("Hand behind back to T10", "T10"), ("Apley scratch: reaches T8", "T8"), ("Wong-Baker 4", "Wong-Baker 4"),
    ("FLACC score 2", "FLACC score 2"), ("Temp 98.6", "98.6"), ("FES-I 30", "FES-I 30"), ("Katz 5/6", "5/6"),
    ("Lawton 6/8", "6/8"), ("30CST 8", "30CST 8"),
])
def test_side_pairs_behind_back_levels_child_pain_scales_and_temperature_are_measurements(suggester, text, expected):
    note = f"Ther ex 15 min: UBE.\n{text}.\nTotal 15 min."
    s = read(suggester, note)
    start = note.index(expected, note.index("\n"))
    assert any(m.start < start + len(expected) and start < m.end for m in s.measurements), text


def test_pool_and_paraffin_temperatures_are_no_vitals(suggester):
    note = "Aquatic ther ex 30 min, pool temp 94 F. Paraffin temp 125.\nTotal 30 min."
    assert not [m for m in read(suggester, note).measurements if m.kind == "vitals"]


@pytest.mark.parametrize("text, value", [
    ("BP 186/104 after rest", 104.0),  # was 1864: the '/10' of '/104' was taken for a pain scale's denominator
    ("Berg 44/56", 44.0),
    ("AROM R elbow 0-80", 80.0),  # was -80: the arc's dash read as a minus sign
    ("AKE R -25", -25.0),
])
def test_measurement_values_keep_their_numbers(suggester, text, value):
    assert [m.value for m in read(suggester, text).measurements] == [value]


@pytest.mark.parametrize("text, right", [
    # was one span cut at 'R 0-4': the arc backtracked into its own digits
    ("AROM wrist flex R 0-40 / L 0-52", "AROM wrist flex R 0-40"),
    ("Wrist flex R 0-40, L 0-52", "Wrist flex R 0-40"),  # the L arc's value was its first number, 0
])
def test_each_side_of_an_arc_is_its_own_measurement(suggester, text, right):
    measurements = read(suggester, text).measurements
    assert [(text[m.start:m.end], m.value) for m in measurements] == [(right, 40.0), ("L 0-52", 52.0)]


def test_a_total_ends_the_work_of_a_dictated_run_on(suggester):
    s = read(suggester, "patient seen for knee pain therapeutic exercise was twenty minutes on the bike and step ups "
                        "then I did gait training for eight minutes with a cane total treatment time twenty eight "
                        "minutes plan continue per plan of care next visit Thursday", discipline="PT")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions] == [
        ("97110", 20, "performed"), ("97116", 8, "performed")]  # the plan after the total was read as gait's status
    assert billed(s) == [("97110", 1), ("97116", 1)]


def test_bracketed_minutes_after_a_test_name_are_the_work_s_time(suggester):
    s = read(suggester, "Balance/proprioception: SLS on foam, star excursion reach (10 min).\nTotal 10 min.",
             discipline="PT")
    assert [(i.minutes, i.cpt) for i in s.interventions] == [(10, "97112")]  # was a star excursion score of 10
    assert not s.measurements


def test_work_resumed_for_more_minutes_is_its_own_time(suggester):
    s = read(suggester, "TE 14 min: quad sets, SLR.\nInterrupted - pt called to front desk (not counted).\n"
                        "Resumed TE 6 more min: hamstring curls, calf raises.\nTotal tx 20 min.", discipline="PT")
    assert coded(s) == [("97110", 14), ("97110", 6)]  # "6 more min" was no time


def test_gait_with_a_challenge_and_its_minutes_is_gait_training(suggester):
    s = read(suggester, "NMR 20 min: VOR x1 progressions\nGait w/ head turns 10 min, 500 ft, no LOB\nTotal 30 min",
             discipline="PT")
    assert coded(s) == [("97112", 20), ("97116", 10)]  # the gait line was read as no work at all


def test_a_code_number_before_a_heading_name_still_heads_its_items(suggester):
    s = read(suggester, "97110 ther ex: UBE 6', pulleys 5', wand ER/flex 8', table slides 4'\n"
                        "Tx: ther act 15 min (reach to shelves), 97535 ADL 8 min (bathing back with long sponge).\n"
                        "Total 46 min", discipline="OT")
    assert coded(s) == [("97110", 23), ("97530", 15), ("97535", 8)]  # were four 97110 items, and ADL inside ther act


def test_labelled_lines_take_their_minutes_from_a_billing_line(suggester):
    note = ("AROM exercises: composite fist, tabletop, thumb opp\n"
            "Fine motor tasks: functional grasp and release of coins\n"
            "Billing: ther ex 16 min; ther act 12 min\nTotal 28 min")
    s = read(suggester, note, discipline="OT")
    # the billing line's items were blocks of their own, and the described work was dropped
    assert [(note[i.start:i.end], i.minutes, i.cpt) for i in s.interventions] == [
        ("AROM exercises: composite fist, tabletop, thumb opp", 16, "97110"),
        ("Fine motor tasks: functional grasp and release of coins", 12, "97530")]
    assert billed(s) == [("97110", 1), ("97530", 1)]


def test_e_stim_in_a_minutes_summary_times_the_e_stim_above(suggester):
    s = read(suggester, "Interventions:\n- E-stim (unattended, premod) + elevation R forearm\n"
                        "- Retrograde massage R hand\nMinutes: e-stim 15 | manual 9 | total 24",
             discipline="OT", payer="commercial")
    assert coded(s) == [("97014", 15), ("97140", 9)]  # "e-stim 15" named no code: the e-stim had no minutes


def test_a_time_summary_by_code_number_times_the_work_above(suggester):
    s = read(suggester, "ADL: hemi-dressing technique for button-down shirt, toileting clothing mgmt at grab bar.\n"
                        "Functional transfers: tub bench in/out, car transfer simulator.\n"
                        "Time summary: 97535 22 / 97530 15 / total 37.", discipline="OT", payer="commercial")
    assert coded(s) == [("97535", 22), ("97530", 15)]  # code numbers named no code in a summary


def test_code_numbers_with_small_figures_on_a_line_without_time_are_no_minutes(suggester):
    s = read(suggester, "Ther ex: bike, rows 3x10.\nManual: STM upper trap.\nBilled 97110 2 / 97140 1",
             discipline="PT", payer="commercial")
    assert [i.minutes for i in s.interventions] == [None, None]  # "97110 2" may be units: not minutes


@pytest.mark.parametrize("heading", ["Plan (carried fwd from 4/10 note):", "P (carried forward from 8/12):"])
def test_a_plan_heading_with_an_aside_is_still_the_plan(suggester, heading):
    s = read(suggester, f"TE x 15 min - tendon glides, wrist AROM\n{heading} upgrade to red putty\nTx time 15 min.",
             discipline="OT")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97110", "performed"), ("97110", "planned")]


def test_numeric_grades_after_mmt_without_a_denominator(suggester):
    s = read(suggester, "LE MMT: hip flex R 4 L 4+; knee ext R 4+ L 5.\nMMT R shoulder flex/abd/ER 4/4-/3+\n"
                        "MMT deferred 2 wks; ther ex 15 min, 3 sets.\n")
    assert [(m.kind, m.text) for m in s.measurements] == [
        ("rom", "hip flex R 4"), ("mmt", "4+"), ("mmt", "4+"), ("mmt", "5"), ("mmt", "4"), ("mmt", "4-"), ("mmt", "3+")]
    s = read(suggester, "Measure | Initial | Current\nQuad MMT R | 3- | 4\nTher ex 20 min\n")
    assert [(m.kind, m.text) for m in s.measurements] == [("mmt", "4")]


def test_bare_motion_runs_finger_arcs_lags_and_palm_distance_are_rom(suggester):
    s = read(suggester, "O: R (sitting): flex 150, abd 140, ER 70.\nL shoulder PROM flex 120 / abd 95; AROM R: sh flex "
                        "95\nR small: MCP 0/80, PIP -30/90. Knee ext lag 5.\nComposite flexion R: 2.5 cm from DPC\n"
                        "Lumbar AROM: flex 75%, SB R 60% / L 75%\n")
    assert [(m.kind, m.text) for m in s.measurements] == [
        ("rom", "flex 150"), ("rom", "abd 140"), ("rom", "ER 70"), ("rom", "flex 120"), ("rom", "abd 95"),
        ("rom", "AROM R: sh flex 95"), ("rom", "MCP 0/80"), ("rom", "PIP -30/90"), ("rom", "ext lag 5"),
        ("rom", "Composite flexion R: 2.5 cm"), ("rom", "AROM: flex 75%"), ("rom", "SB R 60%"), ("rom", "L 75%")]
    s = read(suggester, "Ther ex 15 min: flex 20, abd 20; flex x10, abd x10; wrist flex 3/10 reps.\n")
    assert s.measurements == []


def test_pain_by_body_part_vas_in_cm_faces_and_more_edema_and_tests(suggester):
    s = read(suggester, "NPRS back 3. Pain VAS 6.2 cm R hand\nPain: Wong-Baker face 4 w/ lifting; 0 at rest\n"
                        "Pt reports knee 4/10 on stairs. FFI 41%\nCircumference DIP L 62 mm / R 58 mm\n")
    assert [(m.kind, m.text) for m in s.measurements] == [
        ("pain", "NPRS back 3"), ("pain", "VAS 6.2 cm"), ("pain", "Wong-Baker face 4"), ("pain", "0 at rest"),
        ("pain", "4/10"), ("standardized", "FFI 41%"), ("edema", "Circumference DIP L 62 mm"), ("edema", "R 58 mm")]


def test_a_table_whose_label_column_has_no_head_reads_the_today_column(suggester):
    s = read(suggester, "Progress note\n                  Goal    Prev (2/9)   Today\n"
                        "Sh flex AROM (deg)     120     85           104\n"
                        "Hand to back           L3      sacrum       L5\n"
                        "Fingertip-floor        38 cm     25 cm     18 cm\nTher ex 20 min\n")
    assert [(m.kind, m.text) for m in s.measurements] == [("rom", "104"), ("rom", "L5"), ("rom", "18 cm")]


def test_five_position_runs_side_before_max_jebsen_subtests_and_edema_pairs_under_a_unit_heading(suggester):
    s = read(suggester, "Jamar 5-pos R: 38/52/47/40/31 lb; L: 62/88/80/70/55 lb\nmax grip R 62 lb; L max 88 lb\n"
                        "Jebsen-Taylor R: writing 28.4 s, card turning 6.1 s\nPurdue pegboard R 9, L 8, both 6 pairs\n"
                        "Circumferential (cm) L / R:\n MCP 19.5 / 18.6\n Wrist 16.8 / 15.9\n")
    assert [(m.kind, m.text) for m in s.measurements] == [
        ("grip", "Jamar 5-pos R: 38/52/47/40/31 lb"), ("grip", "L: 62/88/80/70/55 lb"), ("grip", "grip R 62 lb"),
        ("grip", "L max 88 lb"), ("standardized", "Jebsen-Taylor R: writing 28.4 s"),
        ("standardized", "card turning 6.1 s"), ("standardized", "Purdue pegboard R 9"), ("standardized", "L 8"),
        ("standardized", "both 6 pairs"), ("edema", "MCP 19.5 / 18.6"), ("edema", "Wrist 16.8 / 15.9")]
    s = read(suggester, "Ther ex 10 min: wrist curls 2.5 / 3.5 lb, 3x10\n")
    assert s.measurements == []


def test_a_test_row_with_a_goal_column_reads_the_current_value(suggester):
    s = read(suggester, "Measure | Initial | Current | Goal\nTUG (s) | 21.4 | 11.6 | <10\nTher ex 10 min\n")
    assert [(m.kind, m.text) for m in s.measurements] == [("standardized", "11.6")]


def test_a_rating_right_after_a_body_part_is_pain_but_other_scales_keep_their_kind(suggester):
    s = read(suggester, "Pt reports knee 4/10 on stairs. Pt reports fatigue 6/10; dizziness 2/10 with head turns.\n")
    assert [(m.kind, m.text) for m in s.measurements] == [
        ("pain", "4/10"), ("other", "fatigue 6/10"), ("other", "dizziness 2/10")]


def test_numeric_grades_after_mmt_need_a_side_motion_or_slash_before_them(suggester):
    s = read(suggester, "MMT: shoulder 4/5. Ther ex 10 min: 2 sets of 3, level 3 band, 3 cones.\n")
    assert [(m.kind, m.text) for m in s.measurements] == [("mmt", " 4/5")]


def test_paired_motions_with_paired_values_and_a_side_after_a_rotation(suggester):
    s = read(suggester, "Wrist flex/ext 40/50. RD/UD 15/25. Cervical ROM: flex 40, ext 50, rot R 60 L 55.\n"
                        "Ther ex: wrist flex/ext 3/10 reps, flex/ext 10/10 each.\n")
    assert [(m.kind, m.text) for m in s.measurements] == [
        ("rom", "flex/ext 40/50"), ("rom", "RD/UD 15/25"), ("rom", "ROM: flex 40"), ("rom", "ext 50"),
        ("rom", "rot R 60"), ("rom", "L 55")]


def test_a_row_naming_its_own_kind_under_an_mmt_header_keeps_it(suggester):
    s = read(suggester, "Strength (MMT)\tR\tL\nElbow flex\t4\t5\nGrip (lb)\t35\t60\n")
    assert [(m.kind, m.text) for m in s.measurements][-2:] == [("grip", "35"), ("grip", "60")]


def test_next_after_a_label_orders_the_work_and_plans_nothing(suggester):
    s = read(suggester, "In-hand manipulation first: coins palm-to-finger, 15 min.\n"
                        "Visual-motor next: functional activity, copying shapes from the board, 12 min.\n"
                        "Next: add scissor skills.", discipline="OT")
    assert [i.status for i in s.interventions] == ["performed", "performed", "planned"]


@pytest.mark.parametrize("totals", ["Total time 40 min, 30 min timed", "Total 40 min (30 timed)"])
def test_timed_minutes_written_after_the_total_are_the_timed_total(suggester, totals):
    s = read(suggester, f"Tx: TE 20 min (ER/IR w/ RTB 3x15), MT 10 min (GH post glides), ice 10 min\n{totals}",
             discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 20), ("97140", 10), ("97010", 10)]  # "30 min timed" was a block of its own
    assert (s.totals.total_treatment_minutes, s.totals.timed_minutes) == (40, 30)
    assert "TIME_INCONSISTENT" not in {w.code for w in s.warnings}


def test_a_labelled_total_is_no_block_of_work(suggester):
    s = read(suggester, "NMR (97112) 30 min: weight bearing on ball, mirror therapy.\n"
                        "ADL (97535) 10 min: toothpaste on brush.\nTime: 40 min total.", discipline="OT")
    assert coded(s) == [("97112", 30), ("97535", 10)]  # "Time: 40 min total" was a 97110 block of 40 minutes
    assert s.totals.total_treatment_minutes == 40


def test_a_note_wrapped_at_a_fixed_width_is_read_as_written_and_shown_as_written(suggester):
    note = textwrap.fill("Pt is a 67 y/o F s/p L TKA seen today for visit 9 of 12. Pt completed 24 minutes of "
                         "therapeutic exercise including recumbent bike, SAQ 2x15 with 3 lb and heel slides w/ strap "
                         "2x15. Manual therapy 12 minutes: patellar mobs all planes. Gait training 9 minutes without "
                         "AD in hallway and on stairs, cues for heel strike. Ice pack to L knee 10 min at end of "
                         "session, no charge. Total session time 55 min.", 64)
    s = read(suggester, note, discipline="PT", payer="commercial")
    assert [(i.cpt, i.minutes) for i in s.interventions if i.cpt != "97010"] == [
        ("97110", 24), ("97140", 12), ("97116", 9)]
    assert all(i.text == note[i.start:i.end] for i in s.interventions)  # the evidence keeps the note's own breaks


def test_primes_after_a_bracketed_code_and_x_are_the_heading_s_minutes(suggester):
    s = read(suggester, "O:\n• Ther ex (97110) x 20'  -- prone press-ups 2x10, bridges 2x12\n"
                        "• NM re-ed (97112) x 13'  -- TA activation\nTotal timed: 33'   Total tx time: 43'",
             discipline="PT")
    assert coded(s) == [("97110", 20), ("97112", 13)]  # "x 20'" after "(97110)" was read as feet


def test_seen_for_named_work_is_that_work_s_time_not_the_session_s(suggester):
    s = read(suggester, "Pt seen for dysphagia tx x 30 min: effortful swallow 3x10, Masako 2x10; PO trials of thin "
                        "liquid.\nTotal time 30 min.", discipline="SLP")
    assert coded(s) == [("92526", 30)]  # the line was read as the session's length alone, and dropped


def test_a_billing_table_that_is_the_only_record_of_the_work_is_billed(suggester):
    s = read(suggester, "CPT   | Description                 | Min | Units\n"
                        "97110 | Ther ex - RC/scap program   |  25 |  2\n"
                        "97140 | Manual - GH post/inf glides |  14 |  2\nTotal Timed: 39    Total Tx: 39",
             discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 25), ("97140", 14)]  # the rows timed no block, and nothing was billed
    assert billed(s) == [("97110", 2), ("97140", 1)]
    assert "UNITS_MISMATCH" in {w.code for w in s.warnings}  # 97140's 2 units for 14 minutes


@pytest.mark.parametrize("line, code", [
    ("Client seen with grandmother for 40 min of language treatment.", "92507"),
    ("Pt seen 40 min for cognitive treatment: external memory aid training, prospective memory tasks.", "97129"),
])
def test_a_session_time_that_names_its_one_service_times_that_service(suggester, line, code):
    s = read(suggester, f"{line}\nTotal session time 40 minutes.", discipline="SLP")
    assert coded(s) == [(code, 40)]  # the line was the session's length only, and nothing was billed


def test_a_discharge_summary_s_final_session_is_today_s_work(suggester):
    note = ("PHYSICAL THERAPY DISCHARGE SUMMARY\nGoals (from POC 03/02/2026, 2x/wk x 8 wks):\n"
            "1. Pt will ambulate community distances > 1000 ft without AD - MET\n"
            "Objective at discharge:\nR ankle DF 12 deg, PF 45 deg\n"
            "Final session: ther ex 18 min (bike 6 min, step-ups, TKE) and gait 8 min on stairs without AD.\n"
            "Total treatment time today: 26 min")
    s = read(suggester, note, discipline="PT")
    assert coded(s) == [("97110", 18), ("97116", 8)]  # the goals section ran on over everything below it
    assert [note[i.start:i.end] for i in s.interventions] == [
        "ther ex 18 min (bike 6 min, step-ups, TKE)", "gait 8 min on stairs without AD"]


def test_an_outdented_line_naming_another_service_ends_a_heading_s_lines(suggester):
    note = ("Interventions:\n    Manual therapy   -   10 min\n       retrograde massage R hand, radiocarpal mobs\n"
            "    Paraffin  R hand   x 10 min    prior to ther ex\n\nTotal treatment time:  20 min\n"
            "Plan:  cont POC 2x/wk x 4 wks.\n\nElectronically signed by:  Priya Natarajan, OTR/L     03/04/2026  16:42")
    s = read(suggester, note, discipline="OT", payer="commercial")
    # paraffin was a line of manual therapy's, and the signature two planned services
    assert coded(s) == [("97140", 10), ("97018", 10)]


def test_wrapped_pain_oxygen_flow_qualified_grip_and_gait_speed_cells(suggester):
    s = read(suggester, "Reports knee pain 4/10 with stairs and\n2/10 at rest. Grip R 48 lb pain-free, R 62 lb max; "
                        "L 71 lb.\nVitals: SpO2 93% on 2 L at rest, 88% after standing grooming 4 min; HR 98.\n"
                        "Measure            | Initial (01/05) | Today\n"
                        "10MWT gait speed   | 0.72 m/s        | 0.94 m/s\n"
                        "Ther ex 10 min: heel raises 2x10")
    found = [(m.kind, m.text) for m in s.measurements]
    assert {("pain", "2/10"), ("grip", "L 71 lb"), ("standardized", "0.94 m/s")} <= set(found)
    assert any(kind == "vitals" and text.endswith("88%") for kind, text in found)
    assert not any("0.72" in text or "2x10" in text or "4 min" in text for _, text in found)


def test_goal_status_lines_and_spo2_after_a_semicolon(suggester):
    s = read(suggester, "Goal status:\n1. amb 1000 ft - MET\n2. LEFS >= 60 - MET\n"
                        "O: SpO2 93% on 2L at rest; 88% after standing grooming. Ther ex 10 min: heel raises 2x10")
    found = [(m.kind, m.text) for m in s.measurements]
    assert not any(text.startswith("MET") for _, text in found)
    assert ("vitals", "SpO2 93% on 2L at rest; 88%") in found


@pytest.mark.parametrize("text", [
    "Reports that her pain is\n3/10 today", "SpO2 was\n93% on room air", "TUG completed in\n14.2 sec with RW",
    "Berg Balance Scale score\n44/56 today", "Circumference at wrist\n18.5 cm",
])
def test_a_value_on_the_next_line_of_a_wrapped_sentence(suggester, text):
    note = f"Ther ex 15 min: UBE.\nPt seen for f/u. {text}.\nTotal 15 min."
    assert any("\n" in m.text for m in read(suggester, note).measurements), text


def test_a_numbered_line_after_a_wrapped_one_is_no_value(suggester):
    s = read(suggester, "Goals:\n1. amb in community\n2. climb stairs\nTher ex 15 min: step ups 2x10")
    assert not any("\n" in m.text for m in s.measurements)


def test_sit_to_stand_sets_with_a_rest_are_no_five_times_test(suggester):
    s = read(suggester, "Ther ex 15 min: sit to stand x5, 30 sec rest between; sit to stand x 5 reps 3 sets.")
    assert not s.measurements


def test_a_pain_score_s_span_starts_at_the_pain_not_at_an_earlier_symptom(suggester):
    note = "S: Pt reports R wrist stiff in the mornings, pain 4/10 after carrying groceries."
    assert [(m.text, m.value) for m in read(suggester, note).measurements] == [("pain 4/10", 4.0)]


def test_seen_for_a_named_heading_times_that_heading(suggester):
    s = read(suggester, "Seen for ADL tx 25 min: LB dressing w/ sock aid & reacher, min A -> SBA; 25 min total.",
             payer="medicare")
    assert coded(s) == [("97535", 25)] and billed(s) == [("97535", 2)]


def test_a_bracketed_total_after_a_heading_is_the_heading_s_time(suggester):
    s = read(suggester, "Ther ex (15 min total): overhead pulleys x 5 min, wand AAROM 2x15, table slides 15 reps.\n"
                        "Tx time 25 min.")
    assert coded(s) == [("97110", 15)]
    assert s.totals.total_treatment_minutes == 25


def test_an_outdented_timed_line_ends_a_heading_s_indented_items(suggester):
    s = read(suggester, "ADL retraining - 30 min total:\n  LB dressing w/ reacher + sock aid - SBA\n"
                        "  Shower: tub bench transfer, LH sponge\nAlso 6 min reviewing seated UE HEP (yellow TB rows).")
    assert coded(s) == [("97535", 30), ("97110", 6)]


def test_a_total_s_breakdown_in_a_plan_is_no_planned_item_and_times_the_evaluation(suggester):
    s = read(suggester, "PT INITIAL EVAL - moderate complexity (97162)\nO: R knee AROM 3-112 deg.\n"
                        "Ther ex 10 min: quad sets 2x10, SLR 2x10.\nP: 2x/wk x 6 wks per POC.\n"
                        "Total time 45 min (eval 35, ther ex 10).", payer="medicare")
    assert coded(s) == [("97162", 35), ("97110", 10)]


@pytest.mark.parametrize("other_work, eval_minutes", [("", 35), ("Ther ex 8 min: tendon glides x10.\n", None)])
def test_total_eval_time_is_the_evaluation_s_only_when_nothing_else_was_timed(suggester, other_work, eval_minutes):
    s = read(suggester, f"OT EVAL - low complexity (97165)\nGrip R 38 lb / L 52 lb.\n{other_work}"
                        "Total eval time 35 min.", payer="medicare")
    assert coded(s)[0] == ("97165", eval_minutes)


def test_a_home_program_naming_massage_is_no_manual_therapy(suggester):
    s = read(suggester, "Ther ex 15 min: AROM wrist.\n\nHEP issued: wrist AROM 2x10, tendon glides, scar massage.")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97110", "performed"), ("97110", "home_program")]


def test_a_caregiver_observing_the_last_minutes_is_no_block_of_its_own(suggester):
    s = read(suggester, "Bilateral coordination drills 9 min (finger taps).\n"
                        "Total 43 min. Mom observed last 10 min, given shoe-tying practice sheet.")
    assert [i.minutes for i in s.interventions if i.status == "performed"] == [9]


@pytest.mark.parametrize("text, kind", [
    ("Reports hip achy, 3/10, sleeping better.", "pain"), ("Pt reports 6/10 LBP after church.", "pain"),
    ("Standing tol 6 min -> 9 min today.", "other"), ("walking tolerance ~2 blocks", "other"),
    ("Pt stood at sink 3 min before needing to sit.", "other"),
    ("Sitting balance: fair+ static, poor dynamic.", "other"), ("DIP ext lag 0 in splint.", "rom"),
])
def test_pain_words_tolerances_and_balance_grades(suggester, text, kind):
    s = read(suggester, f"S: {text}\nTher ex 15 min: heel raises 2x10.")
    assert [m.kind for m in s.measurements] == [kind]
    assert coded(s) == [("97110", 15)]  # a tolerance's minutes time no work


def test_a_charges_line_at_the_top_heads_no_section_below_it(suggester):
    s = read(suggester, "Charges: 97110 x 3 units, 97530 x 1 unit.\n"
                        "Therapeutic exercise - 40 min: wrist flex/ext with 2# 3x15\n"
                        "Therapeutic activity - 10 min: carrying laundry basket 8#\nTotal time 50 min.",
             payer="commercial")
    assert billed(s) == [("97110", 3), ("97530", 1)]


def test_a_billing_line_whose_codes_go_on_below_it_keeps_them(suggester):
    s = read(suggester, "Ther ex 25 min: wrist AROM 3x15.\nTher act 10 min: laundry basket carry.\n"
                        "Billing: 97110 x2\n97530 x1\nTotal 35 min.", payer="commercial")
    assert coded(s) == [("97110", 25), ("97530", 10)]


def test_a_timed_home_program_after_a_comma_is_its_own_entry(suggester):
    s = read(suggester, "TherEx 30 min (bike 10', SLR, clamshells, mini squats), HEP instruction 10 min - new sheet "
                        "w/ lunges + lateral step-downs.\nTotal 40 min.", payer="medicaid")
    assert [i.minutes for i in s.interventions] == [30, 10] and billed(s) == [("97110", 3)]


@pytest.mark.parametrize("first_line", ["Pt reports R knee pain 1/10.\n", ""])
def test_a_total_split_by_percentages_gives_each_block_its_share(suggester, first_line):
    s = read(suggester, f"{first_line}Session 40 min: approx 60% ther ex (hip abd strengthening, "
                        "mini squats) / 40% NMR (SLS balance on foam, tandem stance).", payer="medicaid")
    assert coded(s) == [("97110", 24), ("97112", 16)] and billed(s) == [("97110", 2), ("97112", 1)]


def test_a_late_correction_replaces_the_block_s_minutes_and_the_total(suggester):
    s = read(suggester, "TherEx 15 min: pulleys, AAROM wand flex/abd.\nManual 10 min: GH glides gr III.\n"
                        "Total 25 min.\nCorrection 05/09/26: TherEx was 18 min not 15; total 28 min.", payer="medicare")
    assert coded(s) == [("97110", 18), ("97140", 10)]
    assert s.totals.total_treatment_minutes == 28 and "TIME_INCONSISTENT" not in {w.code for w in s.warnings}


def test_minutes_of_work_including_timed_items_are_the_work_s_time(suggester):
    s = read(suggester, "Pt completed 24 minutes of therapeutic exercise including recumbent bike 8 min for warm-up, "
                        "SAQ 2x15 with 3 lb. Manual therapy 12 minutes: patellar mobs.")
    assert coded(s) == [("97110", 24), ("97140", 12)]


def test_a_heading_line_ending_in_a_comma_goes_on_to_the_next_line(suggester):
    s = read(suggester, "Neuromuscular re-ed: weight bearing through L UE on mat 6 min,\n"
                        "PNF D2 flex/ext with tactile cues 8 min.\nTher activity: sorting coins, 20 min total.")
    assert coded(s) == [("97112", 14), ("97530", 20)]


def test_a_home_program_after_a_block_closed_by_its_time_is_its_own_item(suggester):
    s = read(suggester, "Gait training no AD x 12 min; ther ex - calf raises 3x15, BAPS board - 16 min; HEP reviewed "
                        "and updated, copy given.\nTotal treatment time today: 28 min")
    assert [(i.minutes, i.status) for i in s.interventions][-1] == (None, "home_program")
    assert coded(s)[:2] == [("97116", 12), ("97110", 16)]


def test_a_pipe_flowsheet_times_its_cells_in_m(suggester):
    s = read(suggester, "03/02 | R TKA wk 5 | pain 3/10 | TherEx 16m (SAQ, LAQ 2x10 YTB) | Gait 11m RW 200 ft, cues "
                        "for heel strike | NMR 8m tandem stance | TTT 35m | J. Doe PT", discipline="PT")
    assert coded(s) == [("97110", 16), ("97116", 11), ("97112", 8)]
    assert s.totals.total_treatment_minutes == 35


def test_a_slash_flowsheet_times_each_heading_s_bare_figure(suggester):
    s = read(suggester, "4/2 COTA tx L CTS release 4 wks: TE 14 (nerve glides, putty 2x10) / MT 9 (scar massage) / "
                        "97760 8 (night orthosis fitted) / tot 31 / pain 2/10")
    assert coded(s) == [("97110", 14), ("97140", 9), ("97760", 8)]
    assert s.totals.total_treatment_minutes == 31


def test_a_time_summary_ending_in_its_sum_is_no_work(suggester):
    s = read(suggester, "97110 - hip strengthening: clams 2x15, bridges 2x10\n97112 - SLS on foam, perturbations\n"
                        "97140 - patellar mobs\nTime summary: TE 23 / NMR 10 / MT 6 = 39 min total", discipline="PT")
    assert coded(s) == [("97110", 23), ("97112", 10), ("97140", 6)]
    assert s.totals.total_treatment_minutes == 39


def test_prose_the_model_reads_as_a_service_takes_its_time_from_a_summary(suggester):
    s = read(suggester, "Pt reports less pain this week. We began with AROM and light resistive work for the L "
                        "shoulder (wall slides, 1# cuff 2x10). Next came mirror therapy and PNF patterns to facilitate "
                        "wrist extension. We finished with upper body dressing and grooming at the sink."
                        "\nMinutes: ther ex 10, NMR 14, self-care 18 = 42 total.")
    assert coded(s) == [("97110", 10), ("97112", 14), ("97535", 18)]
    assert s.totals.total_treatment_minutes == 42


def test_vaso_is_a_vasopneumatic_device(suggester):
    s = read(suggester, "1. Ther ex - 18 min: ankle AROM, calf raises 3x15\n2. Vaso (cold compression) R ankle 12 min",
             discipline="PT")
    assert coded(s) == [("97110", 18), ("97016", 12)]


def test_dot_leaders_and_abbreviated_services_in_a_flowsheet(suggester):
    s = read(suggester, "L ankle sprain wk 4 | TherEx.......18' | MT talocrural post glides.......9' | Scar mass 8 min "
                        "| Ice.......10' no chg | Tot 45'", discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 18), ("97140", 9), ("97140", 8), ("97010", 10)]
    assert billed(s) == [("97110", 1), ("97140", 1)]  # "no chg": performed, not billed


def test_mech_traction_ortho_check_and_orthosis_fab(suggester):
    s = read(suggester, "Mech traction 12 min, 60 lb static.\nOrtho check 9 min: straps adjusted.\n"
                        "Orthosis fab 20 min: hand-based thumb spica.")
    assert coded(s) == [("97012", 12), ("97763", 9), ("97760", 20)]


def test_a_pipe_flowsheet_times_a_bare_figure_before_its_brackets(suggester):
    s = read(suggester, "PTA visit — TE 16 (NuStep L4 x 6', HS curls 3# 2x12) | GT 12 (RW, 250' x2, SBA) | NMR 9 "
                        "(wt shifts) | 37 timed / 37 total | BP 124/70", discipline="PT")
    assert coded(s) == [("97110", 16), ("97116", 12), ("97112", 9)]
    assert (s.totals.total_treatment_minutes, s.totals.timed_minutes) == (37, 37)


@pytest.mark.parametrize("closing", ["Thirty-seven minutes total.", "Approx 37 min total.", "Grip R 40#. 37 min."])
def test_a_closing_sentence_of_minutes_is_the_total(suggester, closing):
    s = read(suggester, f"Ther act 25 min: in-hand manipulation of coins, pegboard.\nSelf-care 12 min: shoe tying, "
                        f"buttons.\n{closing}")
    assert coded(s) == [("97530", 25), ("97535", 12)]
    assert s.totals.total_treatment_minutes == 37


def test_walking_with_a_device_and_cues_is_gait_training(suggester):
    s = read(suggester, "Walked with rolling walker for twelve minutes in the hallway, cues for step length. "
                        "Then standing balance for ten minutes: narrow BOS on foam.", discipline="PT")
    assert coded(s) == [("97116", 12), ("97112", 10)]


def test_a_setting_or_sets_and_reps_before_x_minutes_leave_the_time(suggester):
    s = read(suggester, "US 1 MHz 1.5 W/cm2 x 8 min R Achilles\n1) Tendon glides, putty 2x10, finger ext band 3x10 "
                        "x 15 min\nHP L shoulder x 7 min pre-stretch", discipline="PT")
    assert coded(s) == [("97035", 8), ("97110", 15), ("97010", 7)]


def test_manual_traction_and_a_named_service_after_a_timed_heading(suggester):
    s = read(suggester, "Manual traction + suboccipital release 14 min. Ther act 20 min - pegboard, clothespins. "
                        "Also manual edema mobilization R hand.")
    assert coded(s) == [("97140", 14), ("97530", 20), ("97140", None)]


def test_authorized_session_length_is_no_work_and_walking_with_a_device_is_gait(suggester):
    s = read(suggester, "Frequency per POC: 2x/week x 12 weeks; 60 min sessions authorized\n\nToday:\n"
                        "Amb w/ RW 150' x 3 + 4 stairs w/ 2 rails, 12 min\nTotal 12 min", discipline="PT")
    assert coded(s) == [("97116", 12)]


def test_a_timed_home_program_is_therapeutic_exercise(suggester):
    s = read(suggester, "Manual 10 min: STM upper trap.\nHEP instruction 9 min: new sheet, baby-lifting mechanics, "
                        "carrying car seat close to body.\nTotal 19 min", payer="commercial")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions][1] == ("97110", 9, "home_program")
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_gait_tr_and_gait_with_minutes_are_gait_training(suggester):
    s = read(suggester, "Balance class (group, 5 pts) 30 min — tandem walking, obstacle course.\n"
                        "Individual gait 10 min after class: curb negotiation w/ SPC.\nGait tr 8 min w/ SPC 300 ft x2.",
             discipline="PT")
    assert coded(s) == [("97150", 30), ("97116", 10), ("97116", 8)]


def test_a_summary_restating_its_sum_after_a_dash_is_no_work(suggester):
    s = read(suggester, "Worked on R UE: AAROM shoulder flexion on arm bike, wrist ext with 1# 2x10.\n"
                        "Soft tissue mob + PROM R wrist/digits.\nTE 15 / MT 10 — 25 min total (all timed)")
    assert coded(s) == [("97110", 15), ("97140", 10)]


def test_a_billing_line_of_codes_with_minutes_times_the_listed_work(suggester):
    s = read(suggester, "ROM R MF | MCP 0-85 | PIP 0-95\nInterventions:\n- Tendon glides, blocking ex, putty pinch\n"
                        "- Retrograde massage + scar mobilization\nBilling: 97110 - 15 min / 97140 - 12 min. "
                        "Total 27 min.", payer="commercial")
    assert coded(s) == [("97110", 15), ("97140", 12)]


def test_a_heading_s_narrative_splits_at_then(suggester):
    s = read(suggester, "Treatment: gait training x 10 minutes focusing on heel-strike on level and ramp, then 20 min "
                        "of balance work (BOSU SLS 4 x 30 sec, perturbations) and 15 minutes of ther ex (heel raises "
                        "3x15). Total 45 min.", discipline="PT")
    assert [m for _, m in coded(s)] == [10, 20, 15] and coded(s)[0] == ("97116", 10)


def test_the_visit_s_only_service_takes_the_total_after_it(suggester):
    s = read(suggester, "Telehealth OT f/u (video), R CTS. Ther ex via video: nerve glides 2x10, tendon glides, wrist "
                        "ext stretch; corrected technique. 20 min total.", payer="commercial")
    assert coded(s) == [("97110", 20)] and billed(s) == [("97110", 1)]


def test_an_ehr_record_of_fields_is_one_service(suggester):
    s = read(suggester, "Service: Therapeutic Exercise (97110)\nMinutes: 20\nDescription: pendulums, wand AAROM 2x10\n"
                        "Service: Therapeutic Activities (97530)\nMinutes: 9\nDescription: reaching to shelf\n"
                        "Total Timed Minutes: 29")
    assert coded(s) == [("97110", 20), ("97530", 9)]
    assert s.interventions[0].text.endswith("wand AAROM 2x10")


def test_before_moving_on_to_starts_the_next_activity(suggester):
    s = read(suggester, "We started with about twenty minutes of tendon glides and putty strengthening (3 sets of 10) "
                        "before moving on to scar massage and desensitization for 11 minutes.", payer="commercial")
    assert coded(s) == [("97110", 20), ("97140", 11)]


def test_bracketed_minutes_leading_lines_but_not_a_numbered_list(suggester):
    s = read(suggester, "[10] tendon glides, AROM, putty 2x10\n[12] orthosis check/adjust, strap "
                        "replaced\n[8] scar massage\nTotal [30]", payer="commercial")
    assert coded(s) == [("97110", 10), ("97763", 12), ("97140", 8)]
    assert s.totals.total_treatment_minutes == 30
    s = read(suggester, "[1] tendon glides, putty 2x10\n[2] scar massage\nTotal 20 min")
    assert [m for _, m in coded(s)] == [None, None]


def test_a_code_s_total_row_times_the_rows_above_it_and_is_no_session_total(suggester):
    s = read(suggester, "Exercise\tSets/Reps\tMin\nPutty pinch\t3x10\t\nThumb abd w/ band\t3x15\t\nTherEx total\t\t18\n"
                        "Manual (CMC distraction/glides)\t\t11\nTotal\t\t29", payer="commercial")
    assert coded(s) == [("97110", 18), ("97140", 11)]
    assert s.totals.total_treatment_minutes == 29


def test_a_timed_modality_after_a_semicolon_is_its_own_item(suggester):
    s = read(suggester, "Ther ex 22' quad sets 3x10, SAQ 2x15 w/ 3#; NMR 9' SLS in // bars 3x20 sec; CP to knee 10' "
                        "post. TTT 41'", discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 22), ("97112", 9), ("97010", 10)]


def test_progress_toward_goals_is_no_plan(suggester):
    s = read(suggester, "OT Re-evaluation (97168) 30 min - progress toward goals after 8 visits.\nTotal 30 min.")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97168", "performed")]


def test_a_distance_total_and_excluded_minutes_are_no_session_total(suggester):
    s = read(suggester, "PTA note  In 13:10  Out 14:05 (pt toileting 6 min, excluded)\nGait training: community "
                        "distances w/ SPC, curbs x4, 600 ft total — 20 min\nTher ex: hip abd 2x12 — 17 min",
             discipline="PT")
    assert coded(s) == [("97116", 20), ("97110", 17)]


def test_a_time_line_of_minutes_then_names_times_each_service(suggester):
    s = read(suggester, "OT Re-Evaluation (97168)\nTime: 30 min re-eval + 20 min TherEx = 50 min total\n"
                        "AROM R sh flex 120°. TherEx: supine AAROM flex, isometrics ER/IR 2x10.")
    assert [(i.cpt, i.minutes) for i in s.interventions][1] == ("97110", 20)
    assert billed(s) == [("97110", 1), ("97168", 1)]


def test_total_then_a_code_name_is_that_code_s_subtotal(suggester):
    s = read(suggester, "Exercise\tParams\tMin\nBike\t8 min L3\t\nLeg press\t3x10 90#\t\nTotal TE\t\t22\n"
                        "NMR: ladder drills, SL hop\t\t14\nTime 22+14 = 36 min total.", discipline="PT",
             payer="medicaid")
    assert coded(s) == [("97110", 22), ("97112", 14)]
    assert billed(s) == [("97110", 1), ("97112", 1)]


def test_an_assessment_and_treatment_heading_is_no_evaluation(suggester):
    s = read(suggester, "Assessment/Treatment:\nParaffin bilat hands 10 min\nTher ex 12 min: AROM, tendon glides.\n"
                        "Total treatment time 22 min.")
    assert [i.cpt for i in s.interventions] == ["97018", "97110"]


def test_a_table_row_with_a_status_cell_is_one_entry(suggester):
    s = read(suggester, "TE | 30' | eccentric heel drops 3x15\nMT | 7' | IASTM\nCP | declined |\nTotal 37'",
             discipline="PT", payer="commercial")
    assert [(i.cpt, i.status) for i in s.interventions][-1] == ("97010", "declined")
    assert billed(s) == [("97110", 2)]


def test_a_markdown_table_row_is_one_entry_and_a_bracketed_sum_closes_a_summary(suggester):
    s = read(suggester, "| Intervention | Detail | Min |\n|---|---|---|\n| Whirlpool | 10 min, 102°F, L hand | 10 |\n"
                        "| Ther Ex | AAROM wrist, 2# curls 3x10 | 23 |\n| Total | | 33 |", payer="medicaid")
    assert coded(s) == [("97022", 10), ("97110", 23)]
    s = read(suggester, "* joint mobs R wrist, STM forearm flexors\n* wrist strengthening: 2# flex/ext, 3x10\n"
                        "Time: MT 10 / TE 19  (total 29)")
    assert coded(s) == [("97140", 10), ("97110", 19)] and s.totals.total_treatment_minutes == 29


def test_a_bracketed_total_including_an_item_is_the_block_s_time(suggester):
    s = read(suggester, "Began with 10 minutes on NuStep level 4 for warm-up followed by standing hip abd 2x10, mini "
                        "squats 2x10 (ther ex total 18 minutes including NuStep). Total 18 min.", discipline="PT")
    assert coded(s) == [("97110", 18)]


@pytest.mark.parametrize(("text", "code"), [
    ("Fabricated R resting hand orthosis, 30 min.\nDonning/doffing and skin-check training with daughter, 10 min.",
     "97760"),
    ("Pt wears her thumb spica since 3 wks.\nDonning/doffing and wear schedule reviewed with pt, 9 min.", "97763"),
    ("LB dressing: donning/doffing pants and socks w/ reacher, 12 min.", "97535"),
])
def test_donning_and_doffing_an_orthosis_is_orthotic_training(suggester, text, code):
    s = read(suggester, text)
    assert s.interventions[-1].cpt == code


def test_then_a_named_service_is_no_item_included_in_the_first(suggester):
    s = read(suggester, "Today we did manual therapy x 15 min including plantar fascia release and mobs, then "
                        "ther ex x 12 min of towel curls 3x20, marble pickup. Total 27 min.", discipline="PT")
    assert coded(s) == [("97140", 15), ("97110", 12)]


def test_for_a_total_of_closes_the_work_it_follows_not_the_session(suggester):
    s = read(suggester, "Energy conservation during simulated shower transfers for twenty-five minutes. Then UE "
                        "endurance with arm ergometer, 2 x 4 minutes, and 1 lb dowel ex for a total of 12 minutes. "
                        "Time in 10:05, time out 10:45.")
    assert [m for _, m in coded(s)] == [25, 12]
    assert s.totals.total_treatment_minutes == 40


def test_flowsheet_cells_with_only_a_heading_and_its_minutes_are_the_work(suggester):
    # nothing else in the note describes the work: the cells are not a summary of blocks elsewhere
    s = read(suggester, "03/06 | PT | Dx M17.11 | TE 15 | MT 8 | Gait 7 | HEP reviewed | Tot 30", payer="medicaid")
    assert coded(s) == [("97110", 15), ("97140", 8), ("97116", 7), ("97110", None)]
    assert billed(s) == [("97110", 1), ("97140", 1)]


def test_a_summary_still_times_the_work_it_restates(suggester):
    s = read(suggester, "Ther ex: bike, bridges 2x10\nManual: STM to R quads\nTE 15 | MT 10 | Tot 25",
             payer="commercial")
    assert coded(s) == [("97110", 15), ("97140", 10)]


@pytest.mark.parametrize("text", [
    "TE 11: standing hip abd/ext 2x10 w/ 2#\nTA 10: floor transfer practice from chair\nTotal 21",
    "TE - 11: standing hip abd/ext 2x10 w/ 2#\nTA - 10: floor transfer practice from chair\nTotal 21",
    "97110 [11] standing hip abd/ext 2x10 w/ 2#\n97530 [10] floor transfer practice from chair\nTotal 21",
])
def test_a_bare_figure_right_after_a_heading_is_its_minutes(suggester, text):
    s = read(suggester, text, payer="commercial")
    assert coded(s) == [("97110", 11), ("97530", 10)]


def test_a_bare_figure_after_a_heading_mid_line_is_not_minutes(suggester):
    s = read(suggester, "Ther ex: standing hip abd 2x10, TE 3: sets done\nTotal 20", payer="commercial")
    assert coded(s) == [("97110", 20)]  # the visit's only service takes the total, not the "3" of "TE 3:"


def test_a_charge_summary_with_names_and_dot_leaders_times_its_codes(suggester):
    s = read(suggester, "Worked on PROM and low-load stretch.\nCHARGE SUMMARY\n97140 Manual ........ 12\n"
                        "97535 Self-care ..... 10\nTotal ............... 22", payer="commercial")
    assert ("97140", 12) in coded(s) and ("97535", 10) in coded(s)
    assert s.totals.total_treatment_minutes == 22


def test_a_tables_total_row_closes_its_minutes_column(suggester):
    s = read(suggester, "Intervention\tMin\tDetail\nManual\t10\tdorsal/volar glides\nTher Ex\t20\tPROM, putty\n"
                        "Total\t30\nROM (today)\tR\tL\nWrist ext\t70\t48\nGrip (lb)\t85\t33", payer="commercial")
    assert coded(s) == [("97140", 10), ("97110", 20)]


def test_charged_units_reach_a_block_the_intent_model_codes(suggester):
    s = read(suggester, "Exercises: recumbent bike, TKE w/ band 3x15, SLR 2x10.\nGait: SPC on level and uneven, "
                        "cueing for heel-toe.\nCharges: 97110 x2, 97116 x1. Total timed 40 min.", payer="medicare")
    assert [i.cpt for i in s.interventions] == ["97110", "97116"]
    assert billed(s) == [("97110", 2), ("97116", 1)]  # as charged: the 40 timed minutes support 3 units


@pytest.mark.parametrize("dose", ["5 min nightly", "5 min daily", "5 min bid"])
def test_a_home_dose_is_not_session_time(suggester, dose):
    s = read(suggester, f"TA 26 min - handwriting, letter formation.\nHEP: pencil grip practice, letters {dose}.",
             payer="commercial")
    assert [i.minutes for i in s.interventions] == [26, None]


@pytest.mark.parametrize("text, total", [
    ("Time in 0905, time out 0951, 5 min seated rest not counted.\nGait training 15 min.", 41),
    ("Time in 1:30 pm  Time out 2:20 pm (10 min rest break for toileting not counted)\nGait training 15 min.", 40),
    ("In 8:00 Out 8:50 (restroom break ~5 min, not counted)\nGait training 15 min.", 45),
    ("Time in 1002 / time out 1048. Pt rested 6 min seated after gait (not billed).\nGait training 15 min.", 40),
    ("Time in 0900 out 0950. Gait training 15 min, 2 rest breaks.", 50),  # no rest time said to be excluded
    ("[TE 17'] large amplitude UE reaching\n[SC 12'] buttoning shirt\nTTL 29'", 29),
])
def test_the_visits_length_leaves_out_rest_the_note_does_not_count(suggester, text, total):
    assert read(suggester, text, payer="medicare").totals.total_treatment_minutes == total


def test_a_thirty_second_chair_stand_in_words_is_a_standardized_test(suggester):
    s = read(suggester, "Gait training 15 min. Thirty second chair stand 9 reps.", payer="medicare")
    assert [(m.kind, m.text) for m in s.measurements] == [("standardized", "Thirty second chair stand 9")]
    assert coded(s) == [("97116", 15)]


def test_gait_and_stairs_with_minutes_is_gait_training(suggester):
    s = read(suggester, "Aquatic ther ex 30 min - water walking, noodle squats\nLand: gait/stairs 9 min - 12 steps "
                        "reciprocal w/ 1 rail\nTotal 39 min.", payer="commercial")
    assert coded(s)[1:] == [("97116", 9)]


def test_minutes_in_all_closing_a_narrative_are_the_total(suggester):
    s = read(suggester, "She spent fifteen minutes on therapeutic activities with a reacher, then eleven minutes of "
                        "tub transfer practice. Grip 38 pounds on the right. 26 minutes in all.", payer="medicare")
    assert s.totals.total_treatment_minutes == 26
    assert [minutes for _, minutes in coded(s)] == [15, 11]


def test_a_summary_figure_times_a_block_whose_only_minutes_are_an_items(suggester):
    s = read(suggester, "Therex: cervical retraction 2x10, UBE 5 min fwd/back\nManual: C5-7 lateral glides gr III\n"
                        "US: 1 MHz pulsed 1.0 W/cm2 R upper trap\nMinutes: TE 18 / MT 13 - Total 39 min",
             payer="medicare")
    assert coded(s)[:2] == [("97110", 18), ("97140", 13)]
    assert coded(s)[2][0] == "97035"


def test_a_summary_figure_does_not_override_a_block_timed_at_its_heading(suggester):
    s = read(suggester, "Ther ex 15 min: bike, bridges\nManual 10 min: STM\nSummary: TE 18 / MT 10", payer="medicare")
    assert coded(s) == [("97110", 15), ("97140", 10)]


def test_prose_the_model_is_sure_of_is_the_work_a_total_times_when_nothing_else_is_timed(suggester, monkeypatch):
    pipeline = build_pipeline()
    scores = {"97535": 0.97, "97530": 0.02, "97110": 0.01, "97112": 0.0, "other": 0.0}
    monkeypatch.setattr(KeywordIntentScorer, "score", lambda self, texts: [dict(scores) for _ in texts])
    pipeline.get_pipe("notecode_intent").scorer = KeywordIntentScorer()
    text = ("RA (M06.9) — self-care session. Kitchen meal prep using jar opener, built-up utensils, and joint "
            "protection principles; energy conservation. 40 min total. Grip R 18 kg, L 15 kg.")
    s = read(Suggester(pipeline), text, payer="commercial")
    assert billed(s) == [("97535", 3)]
    without_total = read(Suggester(pipeline), text.replace(" 40 min total.", ""), payer="commercial")
    assert billed(without_total) == [] and coded(without_total) == []  # bare prose with nothing timing it: no work


def test_a_bulleted_ehr_record_is_one_service(suggester):
    s = read(suggester, "-- Service: Therapeutic Exercise (97110)\n   Minutes: 18\n   Detail: tendon glides, putty 3 "
                        "min\n-- Service: Manual Therapy (97140)\n   Minutes: 10\n   Detail: scar massage",
             payer="commercial")
    assert coded(s) == [("97110", 18), ("97140", 10)]


@pytest.mark.parametrize("text, minutes", [
    ("Tx: w/c propulsion training 15' (hallway, 100 ft x 4, cues for hemi technique).", 15),
    ("Tx: amb training 100' x 2 w/ RW, cues for step length.", None),  # feet: longer than any one block's time
])
def test_primes_right_after_training_are_its_minutes(suggester, text, minutes):
    assert [i.minutes for i in read(suggester, text, payer="commercial").interventions] == [minutes]


@pytest.mark.parametrize("text", [
    "Sensory 10 min - proprioceptive input: wall push-ups x10, chair push-ups.",
    "Began on platform swing with linear input, then crawling through tunnel, 20 min.",
])
def test_sensory_integration_named_by_its_time_or_its_equipment_is_97533(suggester, text):
    assert [i.cpt for i in read(suggester, text, payer="medicaid").interventions] == ["97533"]


@pytest.mark.parametrize("text, code", [
    ("Prefab thumb spica fit, wear/care instructions, donning practice - 18 min.", "97760"),
    ("Orthosis x 10 min: prefab thumb spica adjusted (trimmed distal edge).", "97763"),
])
def test_an_orthosis_fit_is_its_first_fitting_and_an_adjusted_prefab_is_a_check(suggester, text, code):
    assert [i.cpt for i in read(suggester, text, payer="medicare").interventions] == [code]


def test_a_figure_closing_a_heading_line_with_no_other_time_is_its_minutes(suggester):
    s = read(suggester, "TE - 20: tendon glides 3x20\nOrthosis (97763) - dynamic PIP ext orthosis, tension adjusted "
                        "- 10\nTher ex - bridges 2x10 - 3 sets", payer="commercial")
    assert coded(s) == [("97110", 20), ("97763", 10), ("97110", None)]  # "- 3 sets" is no figure closing the line


def test_a_refusal_after_timed_work_refuses_other_work_not_that(suggester):
    s = read(suggester, "Gait trng w/ hemiwalker ~20 min incl. curb; NMR wt shift/stepping 12 min; pt refused TE today "
                        "c/o fatigue. Total 32.", payer="medicare")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions][:2] == [("97116", 20, "performed"),
                                                                           ("97112", 12, "performed")]
    assert billed(s) == [("97112", 1), ("97116", 1)]


def test_a_stamped_log_closed_by_its_last_stamp_gives_each_entry_and_the_visit_their_time(suggester):
    s = read(suggester, "Dx R26.81\n0800 TE: recumbent bike, standing hip abd 2x10 ea\n0814 Balance/NMR: tandem "
                        "stance, reactive stepping\n0831 Gait: 4WW -> no AD 300 ft, dual task counting backward\n"
                        "0845 end, pt to front desk", payer="medicaid")
    assert coded(s) == [("97110", 14), ("97112", 17), ("97116", 14)]
    assert s.totals.total_treatment_minutes == 45


def test_a_labelled_summary_opening_a_sentence_is_no_work_of_its_own(suggester):
    s = read(suggester, "Worked on thenar strengthening with putty and pinch pins, isometric abductor pollicis. Joint "
                        "mobilization to CMC with distraction. Key pinch R 7 lb. Time: ther ex 15, manual 10 = 25 min.",
             payer="medicare")
    assert coded(s) == [("97110", 15), ("97140", 10)]  # the summary's "= 25 min" is no block of its own


def test_a_narrative_followed_by_minutes_of_a_named_service_is_two_services(suggester):
    s = read(suggester, "The student provided 18 minutes of therapeutic exercise including supine flexion with a wand "
                        "2x10, followed by 15 minutes of therapeutic activities in standing, placing cans on a shelf. "
                        "Total treatment time was 33 minutes.", payer="commercial")
    assert coded(s) == [("97110", 18), ("97530", 15)]
    assert s.totals.total_treatment_minutes == 33


def test_a_later_sentence_with_its_own_timed_heading_is_the_next_block(suggester):
    s = read(suggester, "Pt seen for NMR 23 min: weight bearing thru R UE, tapping to facilitate triceps. ADL training "
                        "15 min: shower transfer w/ tub bench, set-up for washing hair. Pt declined paraffin today.\n"
                        "Total 38 min.")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions] == [
        ("97112", 23, "performed"), ("97535", 15, "performed"), ("97018", None, "declined")]
    assert billed(s) == [("97112", 2), ("97535", 1)]


def test_a_heading_followed_by_its_code_and_units_is_an_entry_of_its_own(suggester):
    s = read(suggester, "PTA note. Ther ex 97110 x 2 units, gait 97116 x 1 unit. Pt amb 300 ft w/ RW, CGA. "
                        "38 min total, all timed.")
    assert [i.cpt for i in s.interventions] == ["97110", "97116"]
    assert billed(s) == [("97110", 2), ("97116", 1)]


def test_a_table_whose_first_cell_is_the_code_has_one_block_per_row(suggester):
    s = read(suggester, textwrap.dedent("""\
        INTERVENTIONS:
        | Code  | Description                                    | Time   |
        | 97542 | W/c mgmt: wheelie balance, 4 in curb ascent    | 24 min |
        | 97530 | Floor-to-chair transfer practice, 3 trials     | 10 min |
        | 97110 | Depression push-ups 10 x 10 sec, tricep dips 2x8 | 7 min  |
        Timed minutes: 41.  Total treatment: 41."""))
    assert coded(s) == [("97542", 24), ("97530", 10), ("97110", 7)]
    assert s.totals.total_treatment_minutes == 41


def test_half_an_hour_on_work_is_its_minutes_but_a_wear_schedule_is_not(suggester):
    s = read(suggester, "We spent half an hour on functional training: lifting a gallon jug from counter to shelf, "
                        "carrying a grocery bag 20 feet.")
    assert [i.minutes for i in s.interventions] == [30]
    s = read(suggester, "Orthosis fit: wear schedule 1 hr on, 1 hr off during the day. Ther ex 15 min: tendon glides.")
    assert [i.minutes for i in s.interventions if i.cpt == "97110"] == [15]
    assert s.totals.timed_minutes == 15


def test_a_first_person_narrative_opens_with_the_visits_length(suggester):
    s = read(suggester, "I saw Mr. Quinn for 25 minutes today. We worked on buttoning his shirt and zipping his jacket "
                        "with his right hand, using a button hook and then without it.")
    assert s.totals.total_treatment_minutes == 25
    s = read(suggester, "I worked with Mrs. Hollis this morning from 8:30 to 9:15. We spent half an hour on functional "
                        "training: lifting a jug to a shelf. I spent eight minutes on soft tissue mobilization.")
    assert s.totals.total_treatment_minutes == 45
    assert sorted(i.minutes for i in s.interventions if i.minutes) == [8, 30]


def test_a_log_entry_whose_label_heads_timed_items_runs_to_the_next_stamp(suggester):
    s = read(suggester, textwrap.dedent("""\
        TREATMENT LOG
        0802  TE: recumbent bike 6 min, leg press 60 lb 3x10, step-ups 8 in 2x10
        0822  Gait: no AD, 500 ft, cues for push-off
        0840  Manual: STM R gastroc/soleus, talocrural post glides gr III
        0852  End"""), payer="commercial")
    assert coded(s) == [("97110", 20), ("97116", 18), ("97140", 12)]


def test_an_offer_refused_after_but_is_declined(suggester):
    s = read(suggester, "I offered her a paraffin dip before exercise but she refused; she didn't like the heat. "
                        "We spent 20 minutes on ulnar nerve glides 2x8 and putty.")
    assert [(i.cpt, i.status) for i in s.interventions][0] == ("97018", "declined")
    assert ("97018", 1) not in billed(s)


def test_a_hot_pack_written_hp_before_a_body_part_and_a_concurrent_unattended_stim_are_two_modalities(suggester):
    s = read(suggester, "HP lumbar x 15 min w/ IFC unattended 80-150 Hz (concurrent)\nTotal 15 min", payer="commercial")
    assert [(i.cpt, i.minutes) for i in s.interventions] == [("97010", 15), ("97014", 15)]


def test_a_group_class_is_group_therapy_whatever_else_it_names(suggester):
    s = read(suggester, "Lymphedema exercise class (group of 6), 45 min, led by OT: diaphragmatic breathing, seated UE "
                        "pumping sequence, self-MLD review. Total 45.")
    assert billed(s) == [("97150", 1)]


def test_a_labelled_clock_range_alone_on_its_line_is_the_visits_length(suggester):
    s = read(suggester, "Functional Capacity Evaluation (partial, day 1) - 97750\nTested: 8:00-9:30.\n"
                        "Material handling: floor to waist 40 lb occasional.", payer="commercial")
    assert s.totals.total_treatment_minutes == 90
    assert billed(s) == [("97750", 6)]


def test_a_heading_and_its_time_closing_a_line_name_the_items_before_them(suggester):
    s = read(suggester, 'Leg press 90# 3x12, step-downs 6" 3x10, SL squats — ther ex 25 min\n'
                        "Job-specific: kneeling tolerance + stair carry 25# x 4 flights — 20 min\nTotal session 45 min")
    assert [i.minutes for i in s.interventions] == [25, 20]
    assert s.interventions[0].cpt == "97110"


def test_a_title_ending_in_a_clock_range_is_the_visits_length(suggester):
    s = read(suggester, "Work Cond OT 8:30-9:15\n• TE 15 min – wrist flex/ext 4# 3x15\n"
                        "• TA 20 min – box lift 25# table-to-shelf x20, pail carry 30# x 6 laps")
    assert s.totals.total_treatment_minutes == 45
    assert coded(s) == [("97110", 15), ("97530", 20)]


def test_a_third_person_visit_opening_is_the_visits_length(suggester):
    s = read(suggester, "OT saw pt from 1:15 to 2:00 for R shoulder dysfunction. Ther ex x 25 min (rows green band "
                        "3x12), followed by manual therapy x 20 min (STM R upper trap).")
    assert s.totals.total_treatment_minutes == 45
    assert coded(s) == [("97110", 25), ("97140", 20)]


def test_a_short_label_before_a_timed_heading_does_not_hide_the_heading(suggester):
    s = read(suggester, "COTA tx: TE 25 min – seated UE ergometer 10 min fwd/back, 2# dumbbell shoulder flex 2x10; "
                        "ADL 7 min – grooming at sink seated. TTT 32.")
    assert coded(s)[0] == ("97110", 25)


def test_an_evaluation_named_with_its_discipline_after_the_complexity(suggester):
    s = read(suggester, "I completed a moderate complexity occupational therapy evaluation, which took 45 minutes.",
             discipline="OT")
    assert [i.cpt for i in s.interventions] == ["97166"]


def test_a_girth_paired_with_the_other_side_in_brackets_is_read_whole(suggester):
    s = read(suggester, "O: Circumferential measurements L UE (R UE in parentheses):\n"
                        " - 10 cm above olecranon: 31.5 cm (29.0 cm)\n - wrist: 17.0 cm (16.0 cm)\n"
                        "Girth R LE (L LE): MTP 23.0 (22.5) cm; ankle 26.5 (23.0) cm\nPerometer L arm vol 2410 mL")
    assert [m.text for m in s.measurements if m.kind == "edema"] == [
        "10 cm above olecranon: 31.5 cm (29.0 cm)", "wrist: 17.0 cm (16.0 cm)", "MTP 23.0 (22.5) cm",
        "ankle 26.5 (23.0) cm", "vol 2410 mL"]


def test_a_ticked_box_opens_a_heading_like_a_bullet(suggester):
    s = read(suggester, "☑ Ther ex 18' – intrinsic strengthening, putty (firm) 3 min x 3, finger abd 3x15\n"
                        "☑ Work sim (assembly line) 30' – sorting and packing small parts\nTotal 48'.")
    assert [i.minutes for i in s.interventions] == [18, 30]


def test_a_narrator_working_with_the_patient_for_minutes_on_a_task_times_that_task(suggester):
    s = read(suggester, "I worked with him for twenty-two minutes on home management training: unloading the "
                        "dishwasher within his sternal precautions. Total time today was 34 minutes.")
    assert [i.minutes for i in s.interventions] == [22]
    assert s.totals.total_treatment_minutes == 34


def test_a_service_record_on_one_line_takes_its_minutes_cell(suggester):
    s = read(suggester, "Service: Gait training | Minutes: 24 | Detail: hemi-walker -> quad cane, 250 ft x 3\n"
                        "Service: Neuromuscular re-ed | Minutes: 16 | Detail: standing weight shift to L, step taps\n"
                        "Total minutes: 40", discipline="PT", payer="medicaid")
    assert coded(s) == [("97116", 24), ("97112", 16)]


def test_a_quoted_sentence_end_ends_the_refusal(suggester):
    s = read(suggester, 'She refused paraffin today stating it "makes my skin itch." Therapeutic exercise for fifteen '
                        "minutes: tendon glides 2 sets of 10, thumb opposition walks.")
    assert [(i.cpt, i.minutes, i.status) for i in s.interventions] == [
        ("97018", None, "declined"), ("97110", 15, "performed")]


def test_next_weeks_as_an_object_of_the_work_is_no_plan(suggester):
    s = read(suggester, "* Cognitive intervention x 25 min: medication box set-up, calendar planning for next week's "
                        "appts using a checklist.\nSession 25 min.", discipline="OT")
    assert [(i.cpt, i.status) for i in s.interventions] == [("97129", "performed")]


def test_a_clock_range_opening_the_first_line_is_the_visits_time(suggester):
    s = read(suggester, "8:30-9:15 R shoulder pain (M25.511)\nTE 20' - pulleys 3', rows green TB 3x15\n"
                        "MT 18' - GH inf/post glides gr III\nTA 7' - reaching into upper cabinet w/ 1# can",
             discipline="PT", payer="commercial")
    assert s.totals.total_treatment_minutes == 45
    assert coded(s) == [("97110", 20), ("97140", 18), ("97530", 7)]


def test_feeding_therapy_dictated_nmr_and_a_childrens_group(suggester):
    s = read(suggester, "Feeding therapy 30 minutes. Presented 4 novel purees via pre-loaded spoon; accepted 3/4.",
             discipline="SLP", payer="medicaid")
    assert coded(s) == [("92526", 30)]
    s = read(suggester, "We began with neuro muscular reeducation for twenty two minutes consisting of weight "
                        "shifting. This was followed by NMES to the right wrist extensors with the therapist in "
                        "constant attendance for ten minutes.")
    assert coded(s) == [("97112", 22), ("97032", 10)]
    s = read(suggester, "Fine motor / social group (4 children, 2 OTs) 45 min: turn-taking board game with tongs.")
    assert [i.cpt for i in s.interventions] == ["97150"]


def test_a_code_lines_bracketed_time_covers_its_items_and_a_finding_above_does_not_swallow_the_next_line(suggester):
    s = read(suggester, "1) 97110 x2 (20 min) - bike 8 min, quad sets, SLR 2x10, heel slides\n"
                        "2) 97140 x1 (10 min) - patellar mobs, scar mob, PROM flexion\n"
                        "3) 97116 x1 (6 min) - stair training reciprocal with rail\nTotal 36 min.",
             discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 20), ("97140", 10), ("97116", 6)]


def test_terse_template_headings_timed_in_m(suggester):
    s = read(suggester, "R RCR (rpr 9 wk)\nEx 20m: pulleys, wand flex/ER, scap retraction GTB 3x12\n"
                        "Man 12m: GH post/inf glides, STM upper trap\nNM 6m: rhythmic stab supine 90 deg\n"
                        "GaitTr 10 min: heel-toe pattern w/o AD, 200 ft\nTot 48m", discipline="PT", payer="commercial")
    assert coded(s) == [("97110", 20), ("97140", 12), ("97112", 6), ("97116", 10)]


def test_named_services_cognitive_rehabilitation_big_and_a_wheelchair_label(suggester):
    s = read(suggester, "Pt seen today for cognitive rehabilitation x 30 min following concussion.", payer="commercial")
    assert [i.cpt for i in s.interventions] == ["97129"]
    s = read(suggester, "BIG protocol (amplitude training) 45 min: max-amplitude reach x16, BIG walking 4 laps with "
                        "cues for arm swing.", discipline="PT")
    assert [i.cpt for i in s.interventions] == ["97112"]
    s = read(suggester, "Saw Mr. T from 2:10 to 2:50 in his apartment. Wheelchair - practiced getting his foot on/off "
                        "the footrest and locking brakes, another 12 minutes or so.")
    assert s.totals.total_treatment_minutes == 40
    assert coded(s) == [("97542", 12)]
