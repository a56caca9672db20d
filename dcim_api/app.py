"""The application: its routes, its error answers, and the factory ``dcim serve`` starts."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dcim.db import ensure_schema, get_engine, resolve_url
from dcim.errors import DatabaseError, InputError, PermissionDenied, Problem
from dcim.i18n import t
from dcim.i18n.validation import in_language, problems
from dcim.pdf import PdfUnavailable
from dcim.process import settle_after_start

from .deps import BadBody, NotFound, Unauthenticated, language_of
from .schemas import ERROR_RESPONSES, document_bodies

log = logging.getLogger("dcim_api")

API_VERSION = "1"


class DcimJSONResponse(JSONResponse):
    """JSON written as the command line writes it (``--json``): decimals and dates as text."""

    def render(self, content: Any) -> bytes:
        """The same bytes as ``json.dumps(..., default=str)``, so API and CLI documents agree."""
        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def _errors(status: int, problems: list[Problem], headers: dict[str, str] | None = None) -> Any:
    body = {"errors": [{"field": p.path or None, "message": p.message} for p in problems]}
    return DcimJSONResponse(body, status_code=status, headers=headers)


def _install_error_answers(app: FastAPI) -> None:
    """Every failure becomes ``{"errors": [...]}`` with the right status, never a traceback."""

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Any:
        # A service's pydantic errors are rendered again in the caller's language, and every
        # problem with a catalog key is worded in it too.
        lang = language_of(request)
        found = in_language(exc, exc.problems, lang)
        return _errors(422, [replace(p, message=p.text(lang)) for p in found])

    @app.exception_handler(BadBody)
    async def bad_body(request: Request, exc: BadBody) -> Any:
        return _errors(400, exc.problems)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Any:
        lang = language_of(request)
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return _errors(400, [Problem("body", t("api.bad_json", lang, detail="JSON"))])
        return _errors(422, problems(errors, lang, http=True))

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, exc: Unauthenticated) -> Any:
        return _errors(401, [Problem("Authorization", str(exc))], {"WWW-Authenticate": "Token"})

    @app.exception_handler(PermissionDenied)
    async def forbidden(request: Request, exc: PermissionDenied) -> Any:
        # A role refusal carries its catalog key: said in the caller's language, roles by title.
        lang = language_of(request)
        return _errors(403, [Problem("", t("api.forbidden", lang, detail=exc.text(lang)))])

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Any:
        return _errors(404, [Problem("id", str(exc))])

    @app.exception_handler(PdfUnavailable)
    async def pdf_unavailable(request: Request, exc: PdfUnavailable) -> Any:
        # The service's message is already in the caller's language (DocumentPdfUnavailable).
        return _errors(503, [Problem("format", str(exc))])

    @app.exception_handler(DatabaseError)
    async def database_error(request: Request, exc: DatabaseError) -> Any:
        detail = t("api.database", language_of(request), detail=exc)
        return _errors(503, [Problem("", detail)])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        lang = language_of(request)
        if exc.status_code == 404:
            message = t("api.no_route", lang)
        elif exc.status_code == 405:
            message = t("api.method_not_allowed", lang, method=request.method)
        else:
            message = str(exc.detail)
        return _errors(exc.status_code, [Problem("", message)], getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Any:
        log.exception("internal error on %s %s", request.method, request.url.path)
        message = t("api.internal", language_of(request), error=type(exc).__name__)
        return _errors(500, [Problem("", message)])


def create_app(db_url: str | None = None) -> FastAPI:
    """The API over the database of ``db_url`` (default: ``$DCIM_DATABASE_URL``, else the SQLite file)."""
    from . import inventory, tokens, workflow

    engine = get_engine(resolve_url(db_url))
    ensure_schema(engine)
    app = FastAPI(
        title="dcim-lite API",
        version=API_VERSION,
        description=(
            "Inventory, capacity check and holds, and the SOP colocation requests of dcim-lite. "
            "Authenticate with `Authorization: Token <token>` (or `Bearer`); errors are "
            '`{"errors": [{"field": ..., "message": ...}]}` in the language of `Accept-Language` '
            "(`id` default, `en`)."
        ),
        openapi_url="/api/schema",
        docs_url="/api/docs",
        redoc_url=None,
        default_response_class=DcimJSONResponse,
    )
    app.state.engine = engine
    _install_error_answers(app)
    for module in (inventory, workflow, tokens):
        app.include_router(module.router, prefix="/api/v1", responses=ERROR_RESPONSES)
    _document_bodies(app)
    return app


def _document_bodies(app: FastAPI) -> None:
    """The OpenAPI document names the body models the input gate reads (see :mod:`.schemas`)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_bodies(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_environment() -> FastAPI:
    """The factory uvicorn's workers call: the database comes from ``$DCIM_DATABASE_URL``.

    A worker lives as long as the server: what it has built by now is set aside from the
    garbage collector's walks (:mod:`dcim.process`).
    """
    app = create_app(os.environ.get("DCIM_DATABASE_URL"))
    settle_after_start(collect=True)
    return app
