"""The HTTP API (FastAPI). Named `http_api`, not `http`, so it can never shadow the standard library's `http`."""

from api.http_api.app import create_app

__all__ = ["create_app"]
