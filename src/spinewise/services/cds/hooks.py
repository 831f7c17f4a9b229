"""CDS Hooks: an EHR asks, Spinewise screens its questionnaire and answers with cards.

``CdsHooks`` is built once per process (the web app keeps it on ``app.state``) and
holds what the calls share: the trusted issuers' cached JWK sets, the seen ``jti``s,
the outbound HTTP client and a cache of screened questionnaires. One call:

1. ``authenticate``: the ``Authorization: Bearer`` JWT's signature against the
   issuer's JWK set, its ``iss`` (a trusted EHR), ``aud`` (this endpoint's public
   URL), ``exp`` and ``jti`` (no replay);
2. ``answer``: the request validated (``InputError`` naming each field), the
   Patient and the latest QuestionnaireResponse taken from ``prefetch`` or, when a key
   is absent, fetched from ``fhirServer`` with the given access token (an
   ``EhrUnavailableError`` when neither works: the spec's 412), with the patient's
   coded conditions, observations and medications (optional); screened as of the
   call's date with the clearance on Spinewise's record (``cds_current``), and cards
   made that state the assessment date and the clearance's validity (``cds_safety``); the cards shown are recorded (so "shown" counts are real) and the call
   audited as a ``cds`` system event of the configured clinic, before the cards are
   returned (calls arriving together share one commit: ``HookRecorder``);
   through ``call``, the JWT's ``jti`` is claimed in that same transaction (one
   durable write per call), or before any work when the call names a FHIR server
   (a replayed token then fetches nothing), or alone when the call ends otherwise
   (an error, no cards): a replay is refused with 401 in every case;
3. ``feedback``: accepted/overridden outcomes stored per card, hence per rule.

Screening is pure, so a questionnaire seen before (byte-identical JSON, keys sorted)
is not parsed again and an assessment screened before reuses its decision, from
bounded LRU caches: EHRs call ``patient-view`` each time a chart opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import ValidationError

from spinewise.config import Settings
from spinewise.errors import N_, FieldProblem, InputError, NotFoundError
from spinewise.interop import (
    CdsAuthError,
    FeedbackRequest,
    HookRequest,
    cards_for,
    check_patient,
    choose_response,
    ordered_modalities,
    response_body,
    selected_orders,
    service_definitions,
    service_hooks,
    unverified_parts,
    verify_hook_jwt,
)
from spinewise.interop.cds.hooks import Card, unavailable_card
from spinewise.interop.cds.rules import (
    DEFAULT_SKEW,
    check_feedback,
    check_header,
    check_jku,
)
from spinewise.interop.cds.safety import annotate
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality, problems_of
from spinewise.screening import screen_compiled
from spinewise.services.cds.answers import AnswerCache, Built, answer_key
from spinewise.services.cds.cache import CACHE_SIZE, Screener, ScreeningCache
from spinewise.services.cds.clearance import RecordNumbers, clearance_on_record
from spinewise.services.cds.current import CallContext, screen_current
from spinewise.services.cds.ehr_data import coded_data
from spinewise.services.cds.feedback import (
    HookCall,
    clinic_id_of,
    hook_rows,
    record_feedback,
)
from spinewise.services.cds.fetch import HookData, hook_data
from spinewise.services.cds.http import EhrHttp, TrustedIssuers, utc_clock
from spinewise.services.cds.pages import FetchLimits
from spinewise.services.cds.recorder import HookRecorder, JtiClaim
from spinewise.services.cds.skips import noting_skips, with_skips
from spinewise.store import Store


@dataclass(frozen=True)
class CdsConfig:
    """What the CDS service needs from the settings."""

    base_url: str
    trusted_issuers: Mapping[str, str]
    clinic: str | None
    require_https: bool = False
    max_assessment_age_days: int = 14
    order_codes: tuple[str, ...] = ()
    clock_skew: dt.timedelta = DEFAULT_SKEW
    fetch_limits: FetchLimits = field(default_factory=FetchLimits)

    @classmethod
    def of(cls, settings: Settings) -> CdsConfig:
        return cls(
            base_url=settings.public_url.rstrip("/"),
            trusted_issuers=dict(settings.cds_trusted_issuers),
            clinic=settings.cds_clinic,
            require_https=settings.mode == "production",
            max_assessment_age_days=settings.cds_max_assessment_age_days,
            order_codes=tuple(settings.cds_order_codes),
            clock_skew=dt.timedelta(seconds=settings.cds_clock_skew_seconds),
            fetch_limits=FetchLimits.of(settings),
        )

    def extra_order_codes(
        self, kb: KnowledgeBase
    ) -> dict[tuple[str, str], tuple[Modality, ...]]:
        """The KB's confirmed massage order codes and the configured ones."""
        found: dict[tuple[str, str], tuple[Modality, ...]] = {}
        for entry in kb.ehr_codes.usable_orders():
            for uri in entry.uris:
                found[(uri, entry.code)] = tuple(entry.modalities)
        for pair in self.order_codes:
            system, _, code = pair.partition("|")
            found[(system, code)] = ()
        return found


def _document(body: bytes) -> object:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InputError([FieldProblem("(document)", f"not JSON: {exc}")]) from None


def _parse(model: type[HookRequest] | type[FeedbackRequest], body: bytes) -> Any:
    data = _document(body)
    if not isinstance(data, dict):
        raise InputError([FieldProblem("(document)", "expected a JSON object")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_of(exc)) from None


class _PendingJti:
    """The ``jti`` check of one call (``interop.JtiClaims``): the claim is kept, to be
    written later (``CdsHooks._settle`` or with the call's record)."""

    def __init__(self) -> None:
        self.pending: JtiClaim | None = None

    def claim(self, jti: str, expires: dt.datetime, now: dt.datetime) -> bool:
        self.pending = JtiClaim(jti, expires)
        return True

    def take(self) -> JtiClaim | None:
        pending, self.pending = self.pending, None
        return pending


REPLAY = "JWT jti already used (replay)"


def _no_assessment(hook_instance: str, base: str, ignored: int) -> Card:
    others = (
        f" {ignored} other response(s) (another questionnaire, patient or status) "
        "were ignored."
        if ignored
        else ""
    )
    return unavailable_card(
        hook_instance,
        base,
        code="no-assessment",
        summary="No Spinewise screening on record: the patient must answer the "
        "Spinewise questionnaire before any massage",
        detail=f"No completed Spinewise questionnaire was found for this patient."
        f"{others} Without it nothing is known about red flags or "
        "contraindications: do not massage until it is answered.",
    )


def _unreadable(hook_instance: str, base: str, error: InputError) -> Card:
    listed = "\n".join(f"- {p.field}: {p.message}" for p in error.problems)
    return unavailable_card(
        hook_instance,
        base,
        code="unreadable-assessment",
        summary="The Spinewise questionnaire on record cannot be read: screen again "
        "before any massage",
        detail=f"The latest questionnaire has answers Spinewise cannot read:\n\n{listed}",
    )


class CdsHooks:
    """The CDS Hooks service: discovery, hook calls and feedback."""

    def __init__(
        self,
        store: Store,
        kb: KnowledgeBase,
        config: CdsConfig,
        *,
        http: EhrHttp | None = None,
        issuers: TrustedIssuers | None = None,
        clock: Callable[[], Any] = utc_clock,
        screener: Screener = screen_compiled,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.store = store
        self.kb = kb
        self.config = config
        self.http = http or EhrHttp()
        self.issuers = issuers or TrustedIssuers(
            config.trusted_issuers, self.http.get_json, clock=clock
        )
        self._clock = clock
        self._screening = ScreeningCache(kb, screener, cache_size)
        self._numbers = RecordNumbers(cache_size)
        self._answers = AnswerCache(cache_size)
        self._hooks = service_hooks()
        self._clinic_id: int | None = None
        self._recorder = HookRecorder(store)
        self._order_codes = config.extra_order_codes(kb)

    @classmethod
    def from_settings(
        cls, settings: Settings, store: Store, kb: KnowledgeBase
    ) -> CdsHooks:
        return cls(store, kb, CdsConfig.of(settings))

    @staticmethod
    def discovery() -> dict[str, Any]:
        """The discovery document (``GET /cds-services``)."""
        return {"services": service_definitions()}

    def clinic_id(self) -> int:
        """The configured clinic's id (looked up once)."""
        if self._clinic_id is None:
            self._clinic_id = clinic_id_of(self.store, self.config.clinic)
        return self._clinic_id

    def hook_of(self, service_id: str) -> str:
        """The hook a service answers (``NotFoundError`` for an unknown service)."""
        hook = self._hooks.get(service_id)
        if hook is None:
            raise NotFoundError(N_("CDS service"), service_id)
        return hook

    def authenticate(self, authorization: str | None, *paths: str) -> dict[str, Any]:
        """The verified claims of the request's JWT, its ``jti`` claimed; ``paths`` are
        the endpoint's paths the ``aud`` may name (``CdsAuthError`` saying what is
        wrong)."""
        claims, pending = self._verified(authorization, paths)
        self._settle(pending)
        return claims

    def call(
        self, service_id: str, authorization: str | None, path: str, body: bytes
    ) -> dict[str, Any]:
        """``authenticate`` and ``answer`` with the ``jti`` claimed in the transaction
        that records the call (see the module's docstring); a replay is refused
        (``CdsAuthError``) whatever the call would have answered."""
        self.hook_of(service_id)
        claims, pending = self._verified(authorization, (path,))
        try:
            return self._answer(service_id, body, claims, pending)
        finally:  # not recorded (an error, no cards): the jti is claimed all the same
            self._settle(pending)

    def _settle(self, pending: _PendingJti) -> None:
        """Claim the call's ``jti`` now if it is still pending (``CdsAuthError`` on a
        replay)."""
        claim = pending.take()
        if claim is not None and not self._recorder.record(None, claim):
            raise CdsAuthError(REPLAY)

    def _verified(
        self, authorization: str | None, paths: tuple[str, ...]
    ) -> tuple[dict[str, Any], _PendingJti]:
        """The JWT's claims, checked but for the replay: its ``jti`` is pending."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise CdsAuthError("a JWT is required: Authorization: Bearer <JWT>")
        token = token.strip()
        header, claims = unverified_parts(token)
        issuer = claims.get("iss")
        if not isinstance(issuer, str):
            raise CdsAuthError("JWT has no iss claim")
        kid = check_header(header)
        jku = check_jku(header.get("jku"), self.issuers.url_of(issuer))
        keys = self.issuers.keys(issuer, kid=kid, url=jku)
        pending = _PendingJti()
        claims = verify_hook_jwt(
            token,
            keys,
            audience=[self.config.base_url + p for p in paths],
            issuer=issuer,
            jti_cache=pending,
            now=self._clock(),
            header=header,
            skew=self.config.clock_skew,
        )
        return claims, pending

    def answer(
        self, service_id: str, body: bytes, claims: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The cards for one hook call (recorded as shown, the call audited) whose
        JWT ``authenticate`` checked."""
        return self._answer(service_id, body, claims, _PendingJti())

    def _answer(
        self,
        service_id: str,
        body: bytes,
        claims: Mapping[str, Any],
        pending: _PendingJti,
    ) -> dict[str, Any]:
        hook = self.hook_of(service_id)
        clinic_id = self.clinic_id()
        request: HookRequest = _parse(HookRequest, body)
        if request.hook != hook:
            raise InputError(
                [
                    FieldProblem(
                        "hook", f"this service answers {hook}, not {request.hook}"
                    )
                ]
            )
        patient_id = request.context.get("patientId")
        if not isinstance(patient_id, str) or not patient_id:
            raise InputError([FieldProblem("context.patientId", "required: a string")])
        if request.fhirServer is not None or request.fhirAuthorization is not None:
            self._settle(pending)  # before anything is fetched with the token
        ordered: tuple[Modality, ...] | None = None
        names: tuple[str, ...] = ()
        if hook == "order-select":
            orders = selected_orders(request.context, self._order_codes)
            if not orders:
                return response_body([])
            ordered = ordered_modalities(orders)
            names = tuple(o.text for o in orders)
        data = hook_data(
            request,
            patient_id,
            self.http,
            self.config.require_https,
            self.config.fetch_limits,
        )
        coded = coded_data(request, self.http)
        record = clearance_on_record(self.store, clinic_id, data.patient, self._numbers)
        context = CallContext(
            today=self._clock().date(),
            patient_id=patient_id,
            record=record,
            coded=coded,
            max_age_days=self.config.max_assessment_age_days,
            base_url=self.config.base_url,
            orders=names,
        )
        answer, shown, verdict = self._answers.answer(
            answer_key(data, context, ordered),
            request.hookInstance,
            lambda: self._built(request.hookInstance, data, ordered, context),
        )
        call = HookCall(
            service_id=service_id,
            hook_instance=request.hookInstance,
            patient=patient_id,
            claims=dict(claims),
            verdict=verdict,
            fetched=data.fetched + coded.fetched,
        )
        rows, event = hook_rows(clinic_id, call, shown)
        if record.patient_id is not None:  # its clearance was read: audit the patient
            event = {**event, "patient_id": record.patient_id}
        # the claim stays pending until the record is written: if that raised,
        # ``call`` claims the jti alone
        accepted = self._recorder.record((rows, event), pending.pending)
        pending.take()
        if not accepted:
            raise CdsAuthError(REPLAY)
        return answer

    def _built(
        self,
        hook_instance: str,
        data: HookData,
        ordered: tuple[Modality, ...] | None,
        context: CallContext,
    ) -> Built:
        """The answer's JSON, its cards and the verdict, built (``AnswerCache``)."""
        cards, verdict = self._cards(hook_instance, data, ordered, context)
        cards = noting_skips(cards, data.skipped)
        return with_skips(response_body(cards), data.skipped), cards, verdict

    def _cards(
        self,
        hook_instance: str,
        data: HookData,
        ordered: tuple[Modality, ...] | None,
        context: CallContext,
    ) -> tuple[list[Card], str | None]:
        base = self.config.base_url
        check_patient(data.patient, data.patient_id, data.patient_field)
        chosen = choose_response(
            data.assessment, data.patient_id, data.assessment_field
        )
        if chosen.response is None:
            return [_no_assessment(hook_instance, base, chosen.ignored)], None
        screened = screen_current(self._screening, self.kb, chosen.response, context)
        if isinstance(screened, InputError):
            return [_unreadable(hook_instance, base, screened)], None
        decision, facts = screened
        cards = cards_for(decision, self.kb, hook_instance, base, ordered=ordered)
        cards = annotate(cards, decision, self.kb, facts, hook_instance, base)
        return cards, decision.verdict.value

    def feedback(self, service_id: str, body: bytes, claims: Mapping[str, Any]) -> int:
        """Store a feedback request's outcomes; the number stored."""
        self.hook_of(service_id)
        clinic_id = self.clinic_id()
        request: FeedbackRequest = _parse(FeedbackRequest, body)
        check_feedback(request)
        return record_feedback(
            self.store, clinic_id, service_id, request.feedback, dict(claims)
        )
