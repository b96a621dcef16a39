"""Example requests shown in the OpenAPI document (and used by the tests as typical inputs)."""

from __future__ import annotations

from typing import Any

TYPICAL_NOTE: dict[str, Any] = {
    "id": "visit-1042",
    "discipline": "OT",
    "payer": "medicare",
    "date_of_service": "2026-11-02",
    "ytd_therapy_charges": 1200,
    "icd10": ["S52.501D"],
    "text": (
        "S: Pt reports R wrist stiffness in the mornings, pain 4/10.\n"
        "O: Paraffin R hand/wrist x 10 min prior to tx.\n"
        "Ther ex 18 min: tendon glides 2x10, wrist flex/ext AROM 2x15, sup/pron with 1# hammer 2x10.\n"
        "Ther act 12 min: simulated work task, sorting screws into bins and turning keys in a lock box.\n"
        "AROM R wrist ext 0-48 deg. Grip R 28 lb, L 71 lb.\n"
        "P: Goal: pt to open jars independently.\nTotal tx time 45 min."
    ),
}

CODED_SERVICES: dict[str, Any] = {
    "id": "charge-77",
    "payer": "commercial",
    "discipline": "PT",
    "date_of_service": "2026-03-10",
    "icd10": ["M25.511"],
    "services": [{"cpt": "97110", "minutes": 20}, {"cpt": "97140", "minutes": 18}],
}

NOTE_EXAMPLES: dict[str, dict[str, Any]] = {
    "treatment note": {"summary": "An OT treatment note (text)", "value": TYPICAL_NOTE},
    "coded services": {"summary": "Already-coded services, no text (charge audit)", "value": CODED_SERVICES},
}

BATCH_EXAMPLES: dict[str, dict[str, Any]] = {
    "two notes": {"summary": "A note and a charge audit in one call", "value": {"notes": [TYPICAL_NOTE, CODED_SERVICES]}},
}
