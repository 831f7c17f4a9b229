"""Settings, read from the environment (``SPINEWISE_`` prefix) by the entry points only."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from spinewise.environment import DEFAULT_LANGUAGES, default_database_url

MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Everything configurable, with safe defaults for a lone therapist's laptop."""

    model_config = SettingsConfigDict(
        env_prefix="SPINEWISE_", extra="ignore", use_attribute_docstrings=True
    )

    mode: Literal["development", "production"] = "development"
    """`production` requires an operator-managed secret key, Secure cookies and HTTPS from
    EHRs calling the CDS service; `development` allows both."""
    database_url: str = Field(default_factory=default_database_url)
    """The clinic database (SQLAlchemy URL): a SQLite file or `postgresql+psycopg://...`."""
    secret_key: str | None = Field(
        default=None,
        description=(
            "Signs questionnaire links and the sign-in form's CSRF token. Production "
            "needs at least 32 random characters; in development, when unset, a "
            "random secret is made on first use of the database and kept in it."
        ),
    )
    kb_path: Path | None = None
    """A knowledge-base folder to use instead of the bundled one (also for re-screens)."""
    languages: str = Field(
        default=DEFAULT_LANGUAGES, pattern=r"^\s*[A-Za-z_-]+(\s*,\s*[A-Za-z_-]+)*\s*$"
    )
    """The languages offered, comma-separated (`en,ru`); English always. The knowledge
    base must translate every text into each, or it does not load."""
    host: str = "127.0.0.1"
    """The address `spinewise serve` listens on."""
    port: int = 8000
    """The port `spinewise serve` listens on."""
    public_url: str = "http://127.0.0.1:8000"
    """The address patients and EHRs reach the web app at (links, CDS audience)."""
    questionnaire_link_days: int = 14
    """Days a patient questionnaire link stays valid."""
    retention_years: int = Field(default=25, ge=1, le=100)
    """Years a patient's medical records are kept after the last clinical record
    (assessment, plan start, session) before they may be erased; a clinic may set
    its own (`spinewise patients retention --years`)."""
    smtp_host: str | None = None
    """Mail server for patient e-mails (links, reminders); unset: messages go to the
    server log and the web app says "not sent: no mail server configured"."""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    """The mail server's port."""
    smtp_starttls: bool = True
    """Upgrade the mail connection with STARTTLS before signing in."""
    smtp_user: str | None = None
    """The mail server account (the password comes from SPINEWISE_SMTP_PASSWORD)."""
    smtp_password: str | None = Field(default=None, repr=False)
    """The mail server password; set it in the environment only, never in a file."""
    mail_from: str = "Spinewise <no-reply@localhost>"
    """The sender of patient e-mails."""
    reminder_after_days: int = Field(default=3, ge=0, le=60)
    """Days after a questionnaire link is e-mailed that one reminder follows if it is
    still unanswered (0: no reminders)."""
    reminders_every_minutes: int = Field(default=0, ge=0, le=1440)
    """`spinewise serve` runs `spinewise reminders run` this often (0: never; then
    run it from cron or a systemd timer)."""
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A web session ends after this long unused."
    )
    session_absolute_hours: int = Field(
        default=12, ge=1, description="A web session ends this long after sign-in."
    )
    token_days: int = Field(
        default=90, ge=1, le=3650, description="Default lifetime of a new API token."
    )
    signin_failures_per_account: int = Field(
        default=5,
        ge=1,
        description=(
            "Failed sign-ins of one username before each further attempt waits "
            "(doubling from 30 seconds, at most 15 minutes)."
        ),
    )
    signin_failures_per_address: int = Field(
        default=30,
        ge=1,
        description=(
            "Failed sign-ins from one client address within "
            "signin_address_window_minutes, over at least "
            "signin_usernames_per_address usernames, before that address may not "
            "try to sign in (429 with Retry-After) until the window passes."
        ),
    )
    signin_usernames_per_address: int = Field(
        default=5, ge=1, description="See signin_failures_per_address."
    )
    signin_address_window_minutes: int = Field(
        default=10, ge=1, description="See signin_failures_per_address."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description=(
            "Reverse proxies (addresses or networks, JSON list) whose "
            "X-Forwarded-For names the client; nobody's by default."
        ),
    )
    database_pool_size: int = Field(default=24, ge=1, le=500)
    """PostgreSQL connections each server worker keeps and never exceeds (a request
    beyond them waits up to 30 s for one); a worker also keeps up to 9 more for the
    audit writer and token checks. Size `max_connections` (or PgBouncer) for all workers."""
    max_file_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    """The largest user file (assessment, session note, FHIR Bundle, KB file) read, in
    bytes; a larger one is refused naming the file."""
    request_body_seconds: float = Field(default=30.0, gt=0, le=600)
    """Seconds the server waits for the next part of a request body; a client that
    stalls longer gets 408 and its connection back (slow clients, slowloris)."""
    anonymous_requests_per_minute: int = Field(default=60, ge=1)
    """Requests per minute one client address may make to the pages anyone can open
    without signing in (sign-in, the patient's questionnaire link); more get 429."""
    cds_trusted_issuers: dict[str, str] = Field(default_factory=dict)
    """CDS Hooks: trusted EHRs, issuer -> JWK set URL (JSON in the environment)."""
    cds_clinic: str | None = None
    """CDS Hooks: the clinic whose audit trail and card feedback the CDS service uses."""
    cds_max_assessment_age_days: int = Field(default=14, ge=0, le=365)
    """CDS Hooks: a questionnaire older than this many days (or undated) is out of date
    and never a go-ahead; red flags in it still count."""
    cds_order_codes: list[str] = Field(default_factory=list)
    """CDS Hooks: extra codes (`system|code`, a JSON list) that mark a massage order."""
    cds_clock_skew_seconds: int = Field(default=60, ge=0, le=300)
    """CDS Hooks: the clock skew allowed when checking a JWT's `exp`, `iat` and `nbf`."""
    cds_cors_origins: list[str] = Field(default_factory=list)
    """CDS Hooks: browser origins (a JSON list) allowed to call the CDS endpoints (CORS);
    none by default."""
    cds_fetch_max_pages: int = Field(default=5, ge=1, le=100)
    """CDS Hooks: the most `next` pages of one FHIR search the service follows."""
    cds_fetch_budget_seconds: float = Field(default=5.0, gt=0, le=60)
    """CDS Hooks: the total time the service spends fetching from the EHR in one call."""

    fhir_canonical_base: str = "https://spinewise.example.org/fhir"
    """FHIR: the base of the canonical URLs of Spinewise's code systems and extensions
    (`BASE/CodeSystem/spinewise-...`); set it to where `GET /fhir/...` is served."""
    # TOTP seeds encrypted at rest (revision 0011t)
    totp_key: str | None = Field(default=None, min_length=MIN_SECRET_LENGTH)
    """The secret the two-factor (TOTP) seeds are encrypted with; unset: the secret
    key's. Its own setting lets the secret key be rotated alone; change it only with
    `spinewise keys encrypt-totp` (docs/operators/security.md)."""

    @field_validator("fhir_canonical_base")
    @classmethod
    def _http_base(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value) or value.endswith("/"):
            raise ValueError(
                f"{value!r} is not an http(s) URL without a trailing slash"
            )
        return value

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
    def _an_operator_secret_in_production(self) -> Settings:
        if self.secret_key is not None and len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"secret_key: a secret needs at least {MIN_SECRET_LENGTH} random "
                "characters; set SPINEWISE_SECRET_KEY (or unset it in development)"
            )
        if self.mode == "production" and self.secret_key is None:
            raise ValueError(
                "secret_key: production mode needs an operator-managed secret; "
                f"set SPINEWISE_SECRET_KEY to at least {MIN_SECRET_LENGTH} random "
                "characters"
            )
        return self

    @model_validator(mode="after")
    def _proxies_are_addresses(self) -> Settings:
        for entry in self.trusted_proxies:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"trusted_proxies: {entry[:60]!r} is not an address or network"
                ) from None
        return self

    def proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        """``trusted_proxies`` as networks (a bare address is a one-address network)."""
        return [ipaddress.ip_network(e, strict=False) for e in self.trusted_proxies]
