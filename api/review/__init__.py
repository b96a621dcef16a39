"""The review page: coders check, correct and accept suggestions (served by the HTTP app under /review).

Modules, one job each: settings, models (SQLAlchemy tables), store (database and migrations), auth (passwords,
sessions, CSRF), intake (notes into the queue), marks (highlight segments), decisions (optimistic locking),
export (corrections JSONL and audit CSV), agreement (figures), routes (HTML) and routes_api (JSON).
"""
