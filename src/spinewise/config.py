"""Settings, read from the environment (``SPINEWISE_`` prefix) by the entry points only."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-secret-change-me"


def default_database_url() -> str:
    """A SQLite file in the user's data directory."""
    folder = Path(user_data_dir("spinewise", appauthor=False))
    return f"sqlite:///{folder / 'spinewise.sqlite3'}"


class Settings(BaseSettings):
    """Everything configurable, with safe defaults for a lone therapist's laptop."""

    model_config = SettingsConfigDict(
        env_prefix="SPINEWISE_", extra="ignore", use_attribute_docstrings=True
    )

    mode: Literal["development", "production"] = "development"
    """`production` refuses the default or a short secret key and requires HTTPS from
    EHRs calling the CDS service; `development` allows both."""
    database_url: str = Field(default_factory=default_database_url)
    """The clinic database (SQLAlchemy URL): a SQLite file or `postgresql+psycopg://...`."""
    secret_key: str = DEFAULT_SECRET
    """Signs sessions and questionnaire links; 32 random characters or more in production."""
    kb_path: Path | None = None
    """A knowledge-base folder to use instead of the bundled one (also for re-screens)."""
    host: str = "127.0.0.1"
    """The address `spinewise serve` listens on."""
    port: int = 8000
    """The port `spinewise serve` listens on."""
    public_url: str = "http://127.0.0.1:8000"
    """The address patients and EHRs reach the web app at (links, CDS audience)."""
    questionnaire_link_days: int = 14
    """Days a patient questionnaire link stays valid."""
    login_attempts_per_minute: int = 5
    """Failed web sign-ins allowed per minute before further attempts are refused."""
    cds_trusted_issuers: dict[str, str] = Field(default_factory=dict)
    """CDS Hooks: trusted EHRs, issuer -> JWK set URL (JSON in the environment)."""
    cds_clinic: str | None = None
    """CDS Hooks: the clinic whose audit trail and card feedback the CDS service uses."""
    cds_max_assessment_age_days: int = Field(default=14, ge=0, le=365)
    """CDS Hooks: a questionnaire older than this many days (or undated) is out of date
    and never a go-ahead; red flags in it still count."""
    cds_order_codes: list[str] = Field(default_factory=list)
    """CDS Hooks: extra codes (`system|code`, a JSON list) that mark a massage order."""

    @field_validator("cds_order_codes")
    @classmethod
    def _system_bar_code(cls, value: list[str]) -> list[str]:
        for index, pair in enumerate(value):
            system, bar, code = pair.partition("|")
            if not (system and bar and code):
                raise ValueError(
                    f"cds_order_codes[{index}]: {pair!r} is not 'system|code'"
                )
        return value

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
