"""A hook call's JWT: checked against its trusted issuer, its ``jti`` claimed once.

``HookAuth.verified`` checks the ``Authorization: Bearer`` JWT's signature against
the issuer's JWK set, its ``iss`` (a trusted EHR), ``aud`` (the endpoint's public URL)
and ``exp``; the ``jti`` is not claimed then but kept pending (``PendingJti``), to be
claimed in the transaction that records the call (``record``) or alone (``settle``):
one durable write per call (``HookRecorder``). A replay is refused with
``CdsAuthError`` either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from spinewise.interop import CdsAuthError, unverified_parts, verify_hook_jwt
from spinewise.interop.cds.rules import check_header, check_jku
from spinewise.services.cds.config import CdsConfig
from spinewise.services.cds.http import TrustedIssuers
from spinewise.services.cds.recorder import HookRecorder, JtiClaim
from spinewise.services.cds.shown import HookRows

REPLAY = "JWT jti already used (replay)"


class PendingJti:
    """The ``jti`` check of one call (``interop.JtiClaims``): the claim is kept, to be
    written later (``HookAuth.settle`` or with the call's record)."""

    def __init__(self) -> None:
        self.pending: JtiClaim | None = None

    def claim(self, jti: str, expires: dt.datetime, now: dt.datetime) -> bool:
        self.pending = JtiClaim(jti, expires)
        return True

    def take(self) -> JtiClaim | None:
        pending, self.pending = self.pending, None
        return pending


class HookAuth:
    """The JWT checks of the CDS endpoints and the claims of their ``jti``s."""

    def __init__(
        self,
        config: CdsConfig,
        issuers: TrustedIssuers,
        recorder: HookRecorder,
        clock: Callable[[], Any],
    ) -> None:
        self._config = config
        self._issuers = issuers
        self._recorder = recorder
        self._clock = clock

    def verified(
        self, authorization: str | None, paths: tuple[str, ...]
    ) -> tuple[dict[str, Any], PendingJti]:
        """The JWT's claims, checked but for the replay: its ``jti`` is pending;
        ``paths`` are the endpoint's paths the ``aud`` may name."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise CdsAuthError("a JWT is required: Authorization: Bearer <JWT>")
        token = token.strip()
        header, claims = unverified_parts(token)
        issuer = claims.get("iss")
        if not isinstance(issuer, str):
            raise CdsAuthError("JWT has no iss claim")
        kid = check_header(header)
        jku = check_jku(header.get("jku"), self._issuers.url_of(issuer))
        keys = self._issuers.keys(issuer, kid=kid, url=jku)
        pending = PendingJti()
        claims = verify_hook_jwt(
            token,
            keys,
            audience=[self._config.base_url + p for p in paths],
            issuer=issuer,
            jti_cache=pending,
            now=self._clock(),
            header=header,
            skew=self._config.clock_skew,
        )
        return claims, pending

    def settle(self, pending: PendingJti) -> None:
        """Claim the call's ``jti`` now if it is still pending (``CdsAuthError`` on a
        replay)."""
        claim = pending.take()
        if claim is not None and not self._recorder.record(None, claim):
            raise CdsAuthError(REPLAY)

    def record(self, call: HookRows, pending: PendingJti) -> None:
        """Record an answered call with its pending ``jti`` claim, in one transaction
        (``CdsAuthError`` on a replay: then nothing is written)."""
        # the claim stays pending until the record is written: if that raised, the
        # caller settles the jti alone
        accepted = self._recorder.record(call, pending.pending)
        pending.take()
        if not accepted:
            raise CdsAuthError(REPLAY)
