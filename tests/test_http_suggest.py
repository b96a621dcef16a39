"""The /v1 routes, health and the OpenAPI document, against the Python entry point's answers."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_http_support import CODED, assert_problem, client, note

from api.http_api import create_app
from api.service import default_suggester, suggest_many
from rules.engine import ENGINE_VERSION, RULES_VERSION


def test_suggest_returns_what_the_python_entry_point_returns():
    with client() as http:
        response = http.post("/v1/suggest", json=note())
    assert response.status_code == 200
    assert response.json() == suggest_many([note()])[0].model_dump(mode="json")
    assert [line["cpt"] for line in response.json()["lines"]] == ["97018", "97110", "97530"]


def test_suggest_coded_services_without_text():
    with client() as http:
        body = http.post("/v1/suggest", json=CODED).json()
    assert [(line["cpt"], line["units"]) for line in body["lines"]] == [("97110", 1), ("97140", 1)]
    assert body["id"] == CODED["id"]


def test_batch_answers_in_order_and_a_bad_note_gets_an_error_naming_its_field():
    notes = [
        note(id="a"),
        {"id": "b", "text": "Ther ex 15 min", "services": [{"cpt": "97110", "minutes": "ten"}]},
        {"id": "c"},                                                   # neither text nor services
        {"id": "d", "text": "Ther ex 8 min.", "payer": "acme"},         # unknown payer
        {"id": "e", "text": "Ther ex 8 min.", "date_of_service": "2026-02-30"},
        {"text": "Ther ex 8 min."},                                     # no id in a batch
        42,
        CODED,
    ]
    with client() as http:
        response = http.post("/v1/suggest/batch", json={"notes": notes})
    assert response.status_code == 200
    items = response.json()["suggestions"]
    assert len(items) == len(notes)
    assert items[0] == suggest_many([note(id="a")])[0].model_dump(mode="json")
    assert items[7]["id"] == CODED["id"] and items[7]["lines"]
    errors = {item["index"]: item["error"]["field"] for item in items if "error" in item}
    assert errors == {1: "services.0.minutes", 2: "note", 3: "payer", 4: "date_of_service", 5: "id", 6: "note"}
    assert all(item["status"] == 422 for item in items if "error" in item)
    assert items[3]["id"] == "d"


def test_codes_and_payers():
    with client() as http:
        codes = http.get("/v1/codes").json()["codes"]
        payers = http.get("/v1/payers").json()["payers"]
    by_code = {c["code"]: c for c in codes}
    assert by_code["97110"]["timed"] is True and "OT" in by_code["97110"]["disciplines"]
    assert {"medicare", "commercial", "medicaid"} <= {p["name"] for p in payers}
    medicare = next(p for p in payers if p["name"] == "medicare")
    assert medicare["unit_method"] == "cms" and medicare["discipline_modifiers"]["OT"] == "GO"


def test_health_and_readiness_need_no_key():
    with client() as http:
        health = http.get("/healthz", headers={"X-API-Key": ""})
        ready = http.get("/readyz", headers={"X-API-Key": ""})
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200
    body = ready.json()
    assert body["engine"] == ENGINE_VERSION and body["rules"] == RULES_VERSION
    assert body["model"] == default_suggester().model_name
    assert body["pipeline"] == default_suggester().pipeline.pipe_names
    assert body["codes"] > 0 and "medicare" in body["payers"]


def test_not_ready_before_the_lifespan_has_loaded_the_pipeline():
    http = TestClient(create_app())  # not entered: the lifespan does not run
    assert http.get("/healthz").status_code == 200
    assert_problem(http.get("/readyz"), 503)
    assert_problem(http.post("/v1/suggest", json=note()), 503)


def test_openapi_has_stable_operation_ids_examples_and_problem_responses():
    with client() as http:
        assert_problem(http.get("/openapi.json", headers={"X-API-Key": ""}), 401)  # like every route but health
        document = http.get("/openapi.json").json()
        docs = http.get("/docs")
    operations = {op["operationId"]: (path, method, op) for path, item in document["paths"].items()
                  for method, op in item.items()}
    assert set(operations) == {"suggestNote", "suggestBatch", "listCodes", "listPayers", "health", "readiness",
                               "cdsDiscovery", "cdsChargeReview", "cdsFeedback", "cdsAnalytics", "reviewAgreement"}
    _, _, suggest = operations["suggestNote"]
    assert suggest["requestBody"]["content"]["application/json"]["examples"]
    assert suggest["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Suggestion")
    problem = suggest["responses"]["422"]["content"]["application/problem+json"]["schema"]
    assert problem["$ref"] == "#/components/schemas/Problem"
    assert {"type", "title", "status", "detail", "errors"} <= set(document["components"]["schemas"]["Problem"]
                                                                  ["properties"])
    assert document["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
