"""Property-based requests from /openapi.json (schemathesis): whatever is sent, never a 5xx.

Bounded: a few dozen generated cases per operation, no shrinking, in-process (ASGI), no network.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from test_http_support import EHR
from test_http_support import settings as app_settings

from api.http_api import create_app
from api.http_api.settings import get_settings


def _app():
    app = create_app()
    chosen = app_settings(max_batch_notes=5, request_timeout_seconds=30)
    app.dependency_overrides[get_settings] = lambda: chosen
    return app


# Loaded when the module is collected: building the schema is cheap (the pipeline loads on the first call).
schema = schemathesis.openapi.from_asgi("/openapi.json", _app(), headers=EHR)


@schema.parametrize()
@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    case.call_and_validate(headers=EHR, checks=[not_a_server_error])
