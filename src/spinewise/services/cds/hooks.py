"""CDS Hooks: an EHR asks, Spinewise screens its questionnaire and answers with cards.

``CdsHooks`` is built once per process (the web app keeps it on ``app.state``) and
holds what the calls share: the trusted issuers' cached JWK sets, the seen ``jti``s,
the outbound HTTP client and a cache of screened questionnaires. One call:

1. ``authenticate``: the ``Authorization: Bearer`` JWT's signature against the
   issuer's JWK set, its ``iss`` (a trusted EHR), ``aud`` (this endpoint's public
   URL), ``exp`` and ``jti`` (no replay) (``auth``);
2. ``answer``: the request validated (``InputError`` naming each field: ``parsing``),
   the Patient and the latest QuestionnaireResponse taken from ``prefetch`` or, when a
   key is absent, fetched from ``fhirServer`` with the given access token (an
   ``EhrUnavailableError`` when neither works: the spec's 412), with the patient's
   coded conditions, observations and medications (optional); screened as of the
   call's date with the clearance on Spinewise's record (``current``), and cards
   made that state the assessment date and the clearance's validity (``cards``); the
   cards shown are recorded (so "shown" counts are real: ``shown``) and the call
   audited as a ``cds`` system event of the configured clinic, before the cards are
   returned (calls arriving together share one commit: ``HookRecorder``);
   through ``call``, the JWT's ``jti`` is claimed in that same transaction (one
   durable write per call), or before any work when the call names a FHIR server
   (a replayed token then fetches nothing), or alone when the call ends otherwise
   (an error, no cards): a replay is refused with 401 in every case;
3. ``feedback``: accepted/overridden outcomes stored per card, hence per rule
   (``feedback``).

Screening is pure, so a questionnaire seen before (byte-identical JSON, keys sorted)
is not parsed again and an assessment screened before reuses its decision, from
bounded LRU caches: EHRs call ``patient-view`` each time a chart opens. A call like one
answered before reuses that answer but its cards' ids (``answers``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from spinewise.config import Settings
from spinewise.errors import N_, NotFoundError
from spinewise.interop import (
    HookRequest,
    ordered_modalities,
    response_body,
    selected_orders,
    service_definitions,
    service_hooks,
)
from spinewise.interop.cds.hooks import Card
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.screening import screen_compiled
from spinewise.services.cds.answers import AnswerCache, answer_key
from spinewise.services.cds.auth import HookAuth, PendingJti
from spinewise.services.cds.cache import CACHE_SIZE, Screener, ScreeningCache
from spinewise.services.cds.cards import CallCards
from spinewise.services.cds.clearance import RecordNumbers, clearance_on_record
from spinewise.services.cds.config import CdsConfig, clinic_id_of
from spinewise.services.cds.current import CallContext
from spinewise.services.cds.ehr_data import coded_data
from spinewise.services.cds.feedback import record_feedback
from spinewise.services.cds.fetch import HookData, hook_data
from spinewise.services.cds.http import EhrHttp, TrustedIssuers, utc_clock
from spinewise.services.cds.parsing import feedback_request, hook_request
from spinewise.services.cds.recorder import HookRecorder
from spinewise.services.cds.shown import HookCall, Shown, hook_rows
from spinewise.store import Store

Orders = tuple[tuple[Modality, ...] | None, tuple[str, ...]]


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
        self._auth = HookAuth(config, self.issuers, HookRecorder(store), clock)
        self._call_cards = CallCards(kb, self._screening, config.base_url)
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
        claims, pending = self._auth.verified(authorization, paths)
        self._auth.settle(pending)
        return claims

    def call(
        self, service_id: str, authorization: str | None, path: str, body: bytes
    ) -> dict[str, Any]:
        """``authenticate`` and ``answer`` with the ``jti`` claimed in the transaction
        that records the call (see the module's docstring); a replay is refused
        (``CdsAuthError``) whatever the call would have answered."""
        self.hook_of(service_id)
        claims, pending = self._auth.verified(authorization, (path,))
        try:
            return self._answer(service_id, body, claims, pending)
        finally:  # not recorded (an error, no cards): the jti is claimed all the same
            self._auth.settle(pending)

    def answer(
        self, service_id: str, body: bytes, claims: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The cards for one hook call (recorded as shown, the call audited) whose
        JWT ``authenticate`` checked."""
        return self._answer(service_id, body, claims, PendingJti())

    def _answer(
        self,
        service_id: str,
        body: bytes,
        claims: Mapping[str, Any],
        pending: PendingJti,
    ) -> dict[str, Any]:
        hook = self.hook_of(service_id)
        clinic_id = self.clinic_id()
        request, patient_id = hook_request(body, hook)
        if request.fhirServer is not None or request.fhirAuthorization is not None:
            self._auth.settle(pending)  # before anything is fetched with the token
        orders = self._orders(hook, request)
        if orders is None:  # an order-select call without a massage order
            return response_body([])
        ordered, names = orders
        data, context = self._read(request, patient_id, clinic_id, names)
        answer, shown, verdict = self._answers.answer(
            answer_key(data, context, ordered),
            request.hookInstance,
            lambda: self._call_cards.built(
                request.hookInstance, data, ordered, context
            ),
        )
        call = HookCall(
            service_id=service_id,
            hook_instance=request.hookInstance,
            patient=patient_id,
            claims=dict(claims),
            verdict=verdict,
            fetched=data.fetched + context.coded.fetched,
        )
        self._record(clinic_id, call, shown, context, pending)
        return answer

    def _orders(self, hook: str, request: HookRequest) -> Orders | None:
        """The modalities and names of the massage orders an ``order-select`` call
        selects (None when it selects none); ``(None, ())`` for another hook."""
        if hook != "order-select":
            return None, ()
        orders = selected_orders(request.context, self._order_codes)
        if not orders:
            return None
        return ordered_modalities(orders), tuple(o.text for o in orders)

    def _read(
        self,
        request: HookRequest,
        patient_id: str,
        clinic_id: int,
        names: tuple[str, ...],
    ) -> tuple[HookData, CallContext]:
        """What the call rests on: the EHR's data, prefetched or fetched, and the
        clearance on record as of the call's date."""
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
        return data, context

    def _record(
        self,
        clinic_id: int,
        call: HookCall,
        shown: list[Shown],
        context: CallContext,
        pending: PendingJti,
    ) -> None:
        """Record the call's cards as shown and audit it, its ``jti`` claimed in the
        same transaction (``CdsAuthError`` on a replay)."""
        rows, event = hook_rows(clinic_id, call, shown)
        patient_id = context.record.patient_id
        if patient_id is not None:  # its clearance was read: audit the patient
            event = {**event, "patient_id": patient_id}
        self._auth.record((rows, event), pending)

    def _cards(
        self,
        hook_instance: str,
        data: HookData,
        ordered: tuple[Modality, ...] | None,
        context: CallContext,
    ) -> tuple[list[Card], str | None]:
        """The call's cards and verdict (``CallCards.cards``): the in-process baseline
        of bench/cds_scenario.py builds cards through it."""
        return self._call_cards.cards(hook_instance, data, ordered, context)

    def feedback(self, service_id: str, body: bytes, claims: Mapping[str, Any]) -> int:
        """Store a feedback request's outcomes; the number stored."""
        self.hook_of(service_id)
        clinic_id = self.clinic_id()
        request = feedback_request(body)
        return record_feedback(
            self.store, clinic_id, service_id, request.feedback, dict(claims)
        )
