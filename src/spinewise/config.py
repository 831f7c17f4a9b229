"""Settings, read from the environment (``SPINEWISE_`` prefix) by the entry points only."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-secret-change-me"


def default_database_url() -> str:
    """A SQLite file in the user's data directory."""
    folder = Path(user_data_dir("spinewise", appauthor=False))
    return f"sqlite:///{folder / 'spinewise.sqlite3'}"


class Settings(BaseSettings):
    """Everything configurable, with safe defaults for a lone therapist's laptop."""

    model_config = SettingsConfigDict(env_prefix="SPINEWISE_", extra="ignore")

    mode: Literal["development", "production"] = "development"
    database_url: str = Field(default_factory=default_database_url)
    secret_key: str = DEFAULT_SECRET
    kb_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = "http://127.0.0.1:8000"
    questionnaire_link_days: int = 14
    login_attempts_per_minute: int = 5
    # CDS Hooks: trusted EHRs (issuer -> JWK set URL, JSON in the environment) and
    # the clinic whose audit trail and card feedback the CDS service writes to.
    cds_trusted_issuers: dict[str, str] = Field(default_factory=dict)
    cds_clinic: str | None = None
    # CDS Hooks transport: the JWT's exp/iat clock skew, the browser origins allowed
    # to call the CDS endpoints (CORS; a JSON list, none by default) and the bounds on
    # following a FHIR search's ``next`` pages (page count, total seconds).
    cds_clock_skew_seconds: int = Field(default=60, ge=0, le=300)
    cds_cors_origins: list[str] = Field(default_factory=list)
    cds_fetch_max_pages: int = Field(default=5, ge=1, le=100)
    cds_fetch_budget_seconds: float = Field(default=5.0, gt=0, le=60)

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        if self.mode == "production" and (
            self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "secret_key: production mode refuses the default or a short secret; "
                "set SPINEWISE_SECRET_KEY to at least 32 random characters"
            )
        return self
