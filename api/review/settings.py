"""Review page settings, read from NOTECODE_REVIEW_* environment variables (pydantic-settings).

Routes take them through `ReviewSettingsDep`; a test overrides `get_review_settings` like the API's settings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_FILE = "notecode-review.db"


class ReviewSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTECODE_REVIEW_", extra="ignore", frozen=True)

    db: str = Field(default=DEFAULT_DB_FILE,
                    description="a SQLAlchemy database URL, or a path to a SQLite file (default: in the working "
                    "folder)")
    session_minutes: int = Field(default=480, ge=1, description="a sign-in lasts this long, then the coder signs in "
                                 "again")
    secure_cookies: bool | None = Field(default=None, description="Secure flag on cookies; unset: only when the "
                                        "request came over https")
    login_failures: int = Field(default=5, ge=1, description="failed sign-ins per account before a pause")
    login_pause_seconds: int = Field(default=300, ge=1, description="how long an account waits after too many "
                                     "failures")
    max_import_notes: int = Field(default=500, ge=1, description="most notes in one import")

    @property
    def database_url(self) -> str:
        """`db` as a URL: a bare path means a SQLite file."""
        return self.db if "://" in self.db else f"sqlite:///{self.db}"


@lru_cache
def get_review_settings() -> ReviewSettings:
    return ReviewSettings()


ReviewSettingsDep = Annotated[ReviewSettings, Depends(get_review_settings)]


def review_settings_for(app: Any) -> ReviewSettings:
    """The settings a route of `app` would get, honouring a test's dependency override."""
    provider = getattr(app, "dependency_overrides", {}).get(get_review_settings, get_review_settings)
    return provider()  # type: ignore[no-any-return]
