"""What the OpenAPI document says about bodies and errors, so that generated clients are typed.

Bodies are read through the project's input gate (size, depth, duplicate
keys; see ``deps.json_body``), not by FastAPI, so their models are not route
parameters; :func:`request_body` points an operation at the model, and
:func:`document_bodies` puts every such model (and the models it uses) into
``components/schemas``. Errors share one shape, :class:`ErrorBody`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorItem(BaseModel):
    """One thing wrong: the field (a path such as ``server.power_w``, or null) and what is wrong."""

    model_config = ConfigDict(extra="forbid")

    field: str | None = Field(description="The field's path (for programs); null when no field.")
    message: str = Field(description="What is wrong, in the language of `Accept-Language`.")


class ErrorBody(BaseModel):
    """Every error answer: ``{"errors": [{"field": ..., "message": ...}]}``."""

    model_config = ConfigDict(extra="forbid")

    errors: list[ErrorItem]


#: The error answers every operation that needs a token may give.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No token, or a wrong, expired or revoked one"},
    403: {"model": ErrorBody, "description": "The token's user may not do this"},
    422: {
        "model": ErrorBody,
        "description": "A field is wrong; each named, in the caller's language",
    },
}
#: Answers an unauthenticated operation cannot give.
_TOKEN_ONLY = ("401", "403")

#: A download's content: bytes.
BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}

#: Body models referenced by :func:`request_body`, by their component name.
_BODY_MODELS: dict[str, type[BaseModel]] = {}


def ok(model: Any, status: int = 200, description: str = "Done") -> dict[int | str, Any]:
    """``responses`` of an operation whose answer has the shape ``model`` (documented, not rewritten)."""
    return {status: {"model": model, "description": description}}


def request_body(
    model: type[BaseModel], description: str, *, required: bool = True, **more: Any
) -> dict[str, Any]:
    """``openapi_extra`` of an operation whose JSON body is ``model`` (read by the input gate)."""
    _BODY_MODELS[model.__name__] = model
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}},
        **more,
    }
    return {"requestBody": {"required": required, "description": description, "content": content}}


def document_bodies(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with the body models in its components, and no 401/403 where no token."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, model in _BODY_MODELS.items():
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components[name] = body
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            answers = operation.get("responses", {})
            if not operation.get("security"):
                for status in _TOKEN_ONLY:
                    answers.pop(status, None)
            if not operation.get("parameters") and "requestBody" not in operation:
                answers.pop("422", None)  # nothing the caller sends can be wrong
    return schema
