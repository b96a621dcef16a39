"""HTTP API settings, read from NOTECODE_* environment variables (pydantic-settings).

Routes take them through `SettingsDep`; middleware reads them with `settings_for(app)`. Both go through
`get_settings`, so a test's `app.dependency_overrides[get_settings]` reaches every layer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # frozen: hashable, so derived objects (the key ring) can be cached per settings value
    model_config = SettingsConfigDict(env_prefix="NOTECODE_", extra="ignore", frozen=True)

    api_keys: str = Field(
        default="", description="comma-separated `name:sha256hex:scope1+scope2`; the key itself is never stored")
    api_keys_file: Path | None = Field(default=None, description="a file of such entries, one a line (# comments)")

    max_body_bytes: int = Field(default=2_000_000, ge=1, description="largest request body, in bytes (413)")
    max_batch_notes: int = Field(default=100, ge=1, description="most notes in one batch request (422)")
    max_note_chars: int = Field(default=100_000, ge=1, description="longest note text, in characters (422)")
    request_timeout_seconds: float = Field(default=30.0, gt=0, description="slower requests get 504")
    rate_limit_per_second: float = Field(default=20.0, gt=0, description="per API key, sustained")
    rate_limit_burst: int = Field(default=40, ge=1, description="per API key, the bucket's size")

    cds_hook: str = Field(default="org.notecode.note-sign",
                          description="the hook the CDS service answers (a custom hook, reverse domain notation)")
    cds_source_url: str | None = Field(default=None, description="absolute URL shown as the cards' source link")
    feedback_file: Path | None = Field(default=None, description="JSONL file for CDS feedback; unset: in memory")
    feedback_memory_limit: int = Field(default=10_000, ge=1, description="feedback records kept in memory")
    card_memory_limit: int = Field(default=50_000, ge=1,
                                   description="recent cards remembered so feedback can name their warning code")

    problem_type_base: str = Field(default="urn:notecode:problem:", description="prefix of problem `type` URIs")


@lru_cache
def get_settings() -> Settings:
    return Settings()


SettingsDep = Annotated[Settings, Depends(get_settings)]


def settings_for(app: Any) -> Settings:
    """The settings a route of `app` would get, honouring a test's dependency override."""
    provider = getattr(app, "dependency_overrides", {}).get(get_settings, get_settings)
    return provider()  # type: ignore[no-any-return]
