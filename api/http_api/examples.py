"""Example requests shown in the OpenAPI document (and used by the tests as typical inputs)."""

from __future__ import annotations

import base64
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
    "two notes": {"summary": "A note and a charge audit in one call",
                  "value": {"notes": [TYPICAL_NOTE, CODED_SERVICES]}},
}


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


DRAFT_NOTE: dict[str, Any] = {
    "resourceType": "DocumentReference",
    "id": "note-1042",
    "status": "current",
    "docStatus": "preliminary",
    "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3", "display": "Progress note"}]},
    "subject": {"reference": "Patient/1288992"},
    "date": "2026-11-02T10:30:00Z",
    "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "data": _base64(TYPICAL_NOTE["text"])}}],
}

CDS_REQUEST: dict[str, Any] = {
    "hook": "org.notecode.note-sign",
    "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    "context": {
        "userId": "Practitioner/example",
        "patientId": "1288992",
        "encounterId": "89284",
        "documentId": "note-1042",
        "billing": {"discipline": "OT", "payer": "medicare", "icd10": ["S52.501D"], "ytd_therapy_charges": 1200},
    },
    "prefetch": {"note": DRAFT_NOTE},
}

CDS_EXAMPLES: dict[str, dict[str, Any]] = {
    "prefetched note": {"summary": "The note as a prefetched DocumentReference", "value": CDS_REQUEST},
    "draft in context": {
        "summary": "The unsigned note in the context",
        "value": {"hook": CDS_REQUEST["hook"], "hookInstance": "5e6a3f07-8a5d-4a5e-9d0c-0b1e4b0c7d11",
                  "context": {**CDS_REQUEST["context"], "draftNote": DRAFT_NOTE}},
    },
}

FEEDBACK_EXAMPLES: dict[str, dict[str, Any]] = {
    "accepted": {"summary": "The coder took the suggested lines", "value": {"feedback": [{
        "card": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "outcome": "accepted",
        "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
        "outcomeTimestamp": "2026-11-02T10:31:00Z"}]}},
    "overridden": {"summary": "The coder dismissed a warning card, with a reason", "value": {"feedback": [{
        "card": "9368d37b-283f-44a0-93ea-547cebab93ed", "outcome": "overridden",
        "overrideReason": {"reason": {"system": "urn:notecode:cds:override-reason", "code": "payer-policy-differs"}},
        "outcomeTimestamp": "2026-11-02T10:32:00Z"}]}},
}
