"""Questionnaire texts (administrators): the clinic's imported text packs and an
upload form. A pack that does not fit the scoring is refused with every wrong field
named (422) and nothing stored (``services.import_text_pack``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.models import decode_text, parse_document
from spinewise.services import import_text_pack, list_text_packs
from spinewise.web.deps import PageActor, SettingsDep, StoreDep
from spinewise.web.pages.forms import FormErrors, form_errors
from spinewise.web.rendering import render

router = APIRouter()

LABELS: dict[str, str] = {"pack": N_("Text pack file")}


def _page(
    request: Request,
    store: StoreDep,
    actor: PageActor,
    errors: FormErrors | None = None,
    done: bool = False,
) -> Response:
    packs = list_text_packs(store, actor)
    return render(
        request,
        "text_packs.html",
        {"packs": packs, "errors": errors or FormErrors(labels=LABELS), "done": done},
        status_code=422 if errors else 200,
    )


@router.get("/questionnaire-texts")
def text_packs(
    request: Request, store: StoreDep, actor: PageActor, imported: int = 0
) -> Response:
    return _page(request, store, actor, done=bool(imported))


async def _uploaded(request: Request, max_bytes: int) -> tuple[object, str]:
    form = await request.form()
    try:
        upload = form.get("pack")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError([FieldProblem("pack", N_("choose a text pack file"))])
        name = upload.filename[:200]
        data = await upload.read(max_bytes + 1)
    finally:
        await form.close()
    if len(data) > max_bytes:
        raise InputError(
            [
                FieldProblem(
                    "(file)", N_("larger than {max_bytes} bytes", max_bytes=max_bytes)
                )
            ],
            file=name,
        )
    text = decode_text(data, name)
    if name.lower().endswith(".json"):
        return parse_document(text, "json", name), name
    return parse_document(text, "yaml", name), name


@router.post("/questionnaire-texts")
async def upload(
    request: Request, store: StoreDep, actor: PageActor, settings: SettingsDep
) -> Response:
    try:
        data, name = await _uploaded(request, settings.max_file_bytes)
        await run_in_threadpool(lambda: import_text_pack(store, actor, data, file=name))
    except InputError as error:
        named = [
            FieldProblem(
                f"{error.file}: {p.field}" if error.file else p.field, p.message
            )
            for p in error.problems
        ]
        errors = form_errors(InputError(named), LABELS)
        return await run_in_threadpool(_page, request, store, actor, errors)
    return RedirectResponse("/questionnaire-texts?imported=1", 303)
