"""CDS Hooks: discovery, the service's cards and the feedback endpoint, in the specification's shapes."""

from __future__ import annotations

import copy
import json
import uuid

import pytest
from fhir.resources.R4B.chargeitem import ChargeItem
from test_http_support import assert_problem, b64, cds_request, client, no_nulls_or_empties

from api.http_api.examples import DRAFT_NOTE

SERVICE = "/cds-services/notecode-charge-review"
GAPS = "Ther ex: putty 3x10, wrist curls 1 lb 3x10. Pt tolerated well."
CARD_KEYS = {"uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior",
             "overrideReasons", "links"}


def _is_uuid(value: str) -> bool:
    return str(uuid.UUID(value)) == value


def check_card(card: dict) -> None:
    """A card as CDS Hooks 2.0 describes it (and 1.0 accepts: at most one suggestion to choose)."""
    assert set(card) <= CARD_KEYS
    assert card["summary"] and len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    assert card["source"]["label"]
    assert _is_uuid(card["uuid"])
    if "suggestions" in card:
        assert card["selectionBehavior"] in {"at-most-one", "any"}
        assert len(card["suggestions"]) == 1
        for suggestion in card["suggestions"]:
            assert suggestion["label"] and _is_uuid(suggestion["uuid"])
            for action in suggestion.get("actions", []):
                assert action["type"] in {"create", "update", "delete"} and action["description"]
    for reason in card["overrideReasons"]:
        assert reason["code"] and reason["system"] and reason["display"]


def test_discovery_shape():
    with client() as http:
        response = http.get("/cds-services")
    assert response.status_code == 200
    body = response.json()
    no_nulls_or_empties(body)
    (service,) = body["services"]
    assert {"hook", "description", "id"} <= set(service) <= {"hook", "title", "description", "id", "prefetch"}
    assert service["id"] == "notecode-charge-review"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in service["prefetch"].items())
    assert "{{context.documentId}}" in service["prefetch"]["note"]


def test_prefetched_note_gives_one_info_card_with_the_lines():
    with client() as http:
        response = http.post(SERVICE, json=cds_request())
    assert response.status_code == 200
    body = response.json()
    no_nulls_or_empties(body)
    assert set(body) == {"cards"}
    for card in body["cards"]:
        check_card(card)
    lines = body["cards"][0]
    assert lines["indicator"] == "info" and lines["summary"].startswith("Suggested charges: 97018-GO x1")
    actions = lines["suggestions"][0]["actions"]
    assert [a["resource"]["code"]["coding"][0]["code"] for a in actions] == ["97018", "97110", "97530"]
    for action in actions:
        charge = ChargeItem.model_validate(action["resource"])  # a valid FHIR R4 ChargeItem
        assert charge.subject.reference == "Patient/1288992"
        assert str(charge.occurrenceDateTime) == "2026-11-02"  # from the DocumentReference's date


def test_a_reading_in_doubt_offers_its_charges_without_recommending_them():
    text = "Total treatment time 50 min. Ther ex 12 min: bridges 2x10, clams 2x10 red TB. Dx M17.11."
    with client() as http:
        body = http.post(SERVICE, json=cds_request(text)).json()
    no_nulls_or_empties(body)
    lines = body["cards"][0]
    check_card(lines)
    assert lines["suggestions"][0]["isRecommended"] is False
    assert "Read the note before accepting" in lines["detail"]
    assert "well under the stated total (50)" in lines["detail"]
    assert "bridges" not in lines["detail"]


def test_documentation_gaps_get_warning_and_critical_cards():
    with client() as http:
        cards = http.post(SERVICE, json=cds_request(GAPS)).json()["cards"]
    for card in cards:
        check_card(card)
    assert cards[0]["summary"] == "No billable charges found in this note" and "suggestions" not in cards[0]
    assert "NO_BILLABLE_SERVICES" in cards[0]["detail"]  # info findings go in the first card's detail
    gaps = {card["indicator"]: card for card in cards[1:]}
    assert set(gaps) == {"warning", "critical"}
    assert "no minutes are documented" in gaps["critical"]["summary"]
    assert "MISSING_TIMED_MINUTES" in gaps["critical"]["detail"]
    assert len(cards) == 1 + 4  # one error and three warnings


def test_draft_in_the_context_wins_over_the_prefetch():
    draft = copy.deepcopy(DRAFT_NOTE)
    draft["content"][0]["attachment"]["data"] = b64(GAPS)
    call = cds_request()
    call["context"]["draftNote"] = draft
    with client() as http:
        cards = http.post(SERVICE, json=call).json()["cards"]
    assert cards[0]["summary"] == "No billable charges found in this note"


def test_spec_shaped_request_with_fhir_server_and_authorization_is_accepted():
    call = cds_request(fhirServer="https://ehr.example.org/fhir", fhirAuthorization={
        "access_token": "opaque", "token_type": "Bearer", "expires_in": 300,
        "scope": "patient/DocumentReference.read", "subject": "notecode"})
    call["prefetch"]["note"] = {"resourceType": "Bundle", "type": "searchset",
                                "entry": [{"resource": call["prefetch"]["note"]}]}
    del call["context"]["patientId"]  # no patient: the lines are offered without FHIR actions
    with client() as http:
        card = http.post(SERVICE, json=call).json()["cards"][0]
    assert card["suggestions"][0]["label"].startswith("Add the 3") and "actions" not in card["suggestions"][0]


def test_no_note_anywhere_is_412():
    call = cds_request()
    del call["prefetch"]
    with client() as http:
        problem = assert_problem(http.post(SERVICE, json=call), 412, "context.draftNote")
    assert "prefetch.note" in [e["field"] for e in problem["errors"]]


def _with_attachment(**attachment) -> dict:
    call = cds_request()
    call["prefetch"]["note"]["content"][0]["attachment"] = attachment
    return call


ATTACHMENT = "prefetch.note.content.0.attachment"
BAD_CALLS = {
    "wrong hook": ({**cds_request(), "hook": "patient-view"}, 422, "hook"),
    "no hookInstance": ({k: v for k, v in cds_request().items() if k != "hookInstance"}, 422, "hookInstance"),
    "no context": ({k: v for k, v in cds_request().items() if k != "context"}, 422, "context"),
    "context field of the wrong type": (cds_request(context={"patientId": 5}), 422, "context.patientId"),
    "html, not text": (_with_attachment(contentType="text/html", data=b64("x")), 422, f"{ATTACHMENT}.contentType"),
    "no content type": (_with_attachment(data=b64("x")), 422, f"{ATTACHMENT}.contentType"),
    "bad base64": (_with_attachment(contentType="text/plain", data="%%%"), 422, f"{ATTACHMENT}.data"),
    "url only": (_with_attachment(contentType="text/plain", url="https://ehr/x"), 422, f"{ATTACHMENT}.data"),
    "not UTF-8": (_with_attachment(contentType="text/plain", data="/w=="), 422, f"{ATTACHMENT}.data"),
    "empty note": (_with_attachment(contentType="text/plain", data=b64("  ")), 422, f"{ATTACHMENT}.data"),
    "not a DocumentReference": (cds_request(prefetch={"note": {"resourceType": "Patient"}}), 422,
                                "prefetch.note.resourceType"),
    "unknown payer": (cds_request(context={**cds_request()["context"], "billing": {"payer": "acme"}}), 422,
                      "context.billing.payer"),
    "unknown billing field": (cds_request(context={**cds_request()["context"], "billing": {"colour": "x"}}), 422,
                              "context.billing.colour"),
}


@pytest.mark.parametrize("call, status, field", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_bad_calls_name_the_field(call, status, field):
    with client() as http:
        assert_problem(http.post(SERVICE, json=call), status, field)


def test_unknown_service_is_404():
    with client() as http:
        assert_problem(http.post("/cds-services/another-service", json=cds_request()), 404)


def test_feedback_records_outcomes_without_comments_or_note_text(tmp_path):
    store = tmp_path / "feedback.jsonl"
    with client(feedback_file=store) as http:
        cards = http.post(SERVICE, json=cds_request(GAPS)).json()["cards"]
        critical = next(card for card in cards if card["indicator"] == "critical")
        feedback = {"feedback": [
            {"card": critical["uuid"], "outcome": "accepted",
             "acceptedSuggestions": [{"id": critical["suggestions"][0]["uuid"]}],
             "outcomeTimestamp": "2026-11-02T10:31:00Z"},
            {"card": cards[1]["uuid"], "outcome": "overridden",
             "overrideReason": {"reason": critical["overrideReasons"][2], "userComment": "see putty 3x10 SECRET"},
             "outcomeTimestamp": "2026-11-02T10:32:00Z"},
        ]}
        response = http.post(f"{SERVICE}/feedback", json=feedback)
        recent = http.app.state.feedback.recent()
    assert response.status_code == 200 and response.json() == {"recorded": 2}
    accepted, overridden = recent
    assert accepted["warning_code"] == "MISSING_TIMED_MINUTES" and accepted["card_kind"] == "warning"
    assert accepted["accepted_suggestions"] == [critical["suggestions"][0]["uuid"]]
    assert overridden["override_reason"]["code"] == "payer-policy-differs" and overridden["had_user_comment"]
    written = store.read_text()
    assert [json.loads(line)["card"] for line in written.splitlines()] == [critical["uuid"], cards[1]["uuid"]]
    assert "SECRET" not in written and "putty" not in written and "SECRET" not in json.dumps(recent)


SPEC_FEEDBACK = [  # the specification's own examples
    {"card": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "outcome": "accepted",
     "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
     "outcomeTimestamp": "2020-12-11T00:00:00Z"},
    {"card": "f6b95768-b1c8-40dc-8385-bf3504b82ffb", "outcome": "overridden",
     "outcomeTimestamp": "2020-12-11T00:00:00Z"},
    {"card": "9368d37b-283f-44a0-93ea-547cebab93ed", "outcome": "overridden",
     "overrideReason": {"reason": {"code": "d7ecf885", "system": "https://example.com/cds-hooks/override-reason-system"},
                        "userComment": "A comment entered by the clinician."},
     "outcomeTimestamp": "2020-12-11T00:00:00Z"},
]


def test_the_specifications_feedback_examples_are_accepted():
    with client() as http:
        response = http.post(f"{SERVICE}/feedback", json={"feedback": SPEC_FEEDBACK})
        assert response.json() == {"recorded": 3}
        assert http.app.state.feedback.recent()[0]["card_kind"] is None  # not a card this server issued


@pytest.mark.parametrize("item, field", [
    ({"card": "c", "outcome": "accepted", "outcomeTimestamp": "2020-12-11T00:00:00Z"}, "feedback.0"),
    ({"card": "c", "outcome": "ignored", "outcomeTimestamp": "2020-12-11T00:00:00Z"}, "feedback.0.outcome"),
    ({"card": "c", "outcome": "overridden", "outcomeTimestamp": "yesterday"}, "feedback.0.outcomeTimestamp"),
    ({"outcome": "overridden", "outcomeTimestamp": "2020-12-11T00:00:00Z"}, "feedback.0.card"),
])
def test_bad_feedback_names_the_field(item, field):
    with client() as http:
        assert_problem(http.post(f"{SERVICE}/feedback", json={"feedback": [item]}), 422, field)
        assert_problem(http.post(f"{SERVICE}/feedback", json={"feedback": []}), 422, "feedback")


def test_version_1_analytics_endpoint_records_the_suggestion():
    with client() as http:
        response = http.post(f"{SERVICE}/analytics/e56e1945-20b3-4393-8503-a1a20fd73152")
        assert response.json() == {"recorded": 1}
        assert http.app.state.feedback.recent()[0]["accepted_suggestions"] == ["e56e1945-20b3-4393-8503-a1a20fd73152"]
