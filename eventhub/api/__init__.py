"""The JSON API under /api/v1: token authentication, and an OpenAPI document built from the routes
themselves, so a route cannot exist without being described."""
import re
from functools import wraps

from flask import Blueprint, g, jsonify, request
from flask_babel import lazy_gettext as _l

from ..accounts.models import TokenScope
from ..accounts.services import user_for_api_token
from ..errors import DomainError, ValidationFailed
from ..forms import form_schema

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_operations: dict[str, dict[str, dict]] = {}
_schemas: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable code"},
                "message": {"type": "string", "description": "Message for people, in the requested language"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        }},
    },
}
ERROR_RESPONSE = {"description": "Error",
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
ERROR_DESCRIPTIONS = {
    "400": "Characters no database stores (NUL, lone surrogates) in the path or query",
    "401": "Missing, wrong, expired or revoked token (or ticket key)",
    "403": "The token's scope or the account's role does not allow this",
    "404": "No such object, or not yours (ids out of range included)",
    "409": "The object's state does not allow this change",
    "413": "Body larger than the limit (1 MB of JSON), chunked or not",
    "422": "Unreadable body (not UTF-8, not a JSON object, nested deeper than 32) or invalid fields, named in `fields`",
    "429": "Too many attempts; see Retry-After",
    "503": "The database is busy; retry after Retry-After seconds",
}
TICKET_KEY_HEADER = {"name": "X-Ticket-Key", "in": "header", "required": True,
                     "description": "The ticket's secret access key (from the registration's answer)",
                     "schema": {"type": "string", "minLength": 1, "maxLength": 64}}
DELEGATION_KEY_HEADER = {"name": "X-Delegation-Key", "in": "header", "required": True,
                         "description": "The delegation's secret key (from the link its leader was given)",
                         "schema": {"type": "string", "minLength": 1, "maxLength": 64}}
GATE_HEADER = {"name": "X-Gate", "in": "header", "required": False,
               "description": "The gate scanning (a device link defaults to its own name)",
               "schema": {"type": "string", "maxLength": 60}}


# Request schemas generated from forms when the document is built (labels and bounds can depend on the request).
_form_schemas: dict[str, tuple[type, dict]] = {}


def schema(name: str, definition: dict) -> dict:
    """Register a component schema and return a reference to it."""
    _schemas[name] = definition
    return {"$ref": f"#/components/schemas/{name}"}


def form_input(form_class: type, *, name: str | None = None, partial: bool = False, extra: dict | None = None,
               extra_required: tuple[str, ...] = ()) -> dict:
    """Register the request schema generated from a form (see `eventhub.forms.form_schema`) and return a reference
    to it; `route(..., form=RoomForm)` calls this. The name is the form's without "Form", plus "Input"
    (RoomForm → RoomInput); two different forms with one name are refused, so pass `name` to tell them apart.
    `partial` (PATCH: nothing required), `extra` and `extra_required` go to `form_schema`."""
    name = name or f"{form_class.__name__.removesuffix('Form')}Input"
    registered = _form_schemas.get(name)
    options = {"partial": partial, "extra": extra, "extra_required": extra_required}
    if (registered is not None and registered != (form_class, options)) or name in _schemas:
        raise ValueError(f"the schema name {name} is already taken; pass form_input(..., name=...)")
    _form_schemas[name] = (form_class, options)
    return {"$ref": f"#/components/schemas/{name}"}


def _error_responses(method: str, rule: str, authenticated: bool) -> dict:
    """The error answers an operation can give, each with the one Error schema."""
    codes = ["400", "404", "422", "429", "503"]
    if authenticated:
        codes += ["401", "403"]
    if method != "GET":
        codes += ["409", "413"]
    return {code: {**ERROR_RESPONSE, "description": ERROR_DESCRIPTIONS[code]} for code in sorted(codes)}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _path_parameters(rule: str) -> list[dict]:
    from ..params import MAX_DB_ID

    return [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DB_ID} if kind == "int" else
         {"type": "string", "minLength": 1, "maxLength": 200}}
        for kind, name in re.findall(r"<(?:([a-z]+):)?([a-z_]+)>", rule)
    ]


def current_api_user():
    return g.api_user


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def unauthorized() -> DomainError:
    return DomainError("unauthorized", _l("Thiếu hoặc sai mã truy cập API (Authorization: Bearer …)."), status=401)


def _authenticate(scope: TokenScope):
    token = bearer_token()
    user = user_for_api_token(token, scope) if token else None
    if user is None:
        raise unauthorized()
    g.api_user = user


def route(rule: str, method: str, *, summary: str, tags: list[str], auth: bool = True,
          body: dict | None = None, form: type | None = None, response: dict | None = None, status: int = 200,
          query: list[dict] | None = None, security: list[dict] | None = None, scope: TokenScope | None = None):
    """Register an API view and its OpenAPI operation together. `auth` checks a personal token before
    the view; a view that authenticates itself (e.g. devices) passes auth=False and its `security`.
    `form` is the form class the view validates its JSON body with (`eventhub.forms.submit_json`): the
    request schema is generated from it (`form_input`), so a field is declared once. `body` takes
    `form_input(FormClass, name=..., partial=..., extra=...)` when the generated schema needs options,
    or a hand-written schema for a body no form validates. `scope` is what a token must allow: by default
    reading for GET, managing for anything else."""
    needed = scope or (TokenScope.READ if method == "GET" else TokenScope.MANAGE)
    if form is not None:
        if body is not None:
            raise ValueError("a route's body is described either by its form or by a schema, not both")
        body = form_input(form)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if auth:
                _authenticate(needed)
            return view(*args, **kwargs)

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        headers = [TICKET_KEY_HEADER] if rule == "/ticket" or rule.startswith("/ticket/") else []
        headers += [DELEGATION_KEY_HEADER] if rule == "/delegation" or rule.startswith("/delegation/") else []
        headers += [GATE_HEADER] if {"deviceToken": []} in (security or []) else []
        operation = {
            "operationId": view.__name__,
            "summary": summary,
            "tags": tags,
            "parameters": _path_parameters(rule) + (query or []) + headers,
            "responses": {
                str(status): {"description": "OK", **({"content": {"application/json": {"schema": response}}}
                                                      if response else {})},
                **_error_responses(method, rule, bool(auth or security or headers)),
            },
        }
        if body:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        if auth or security:
            operation["security"] = security or [{"bearerAuth": []}]
        _operations.setdefault(_openapi_path(rule), {})[method.lower()] = operation
        return wrapped

    return decorator


def json_body() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ValidationFailed({"_body": [_l("Nội dung yêu cầu phải là một đối tượng JSON.")]})
    return payload


def query_param(name: str, description: str, type_: str = "string", **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": type_, **extra}}


PAGINATION_PARAMS = [query_param("page", "Page number, from 1", "integer", minimum=1, maximum=1_000_000),
                     query_param("per_page", "Items per page (at most 100)", "integer", minimum=1, maximum=100)]


def page_json(page, serialise) -> dict:
    return {"items": [serialise(item) for item in page.items], "page": page.page, "per_page": page.per_page,
            "total": page.total, "pages": page.pages}


def page_schema(name: str, item_ref: dict) -> dict:
    return schema(name, {"type": "object", "required": ["items", "page", "per_page", "total", "pages"],
                         "properties": {"items": {"type": "array", "items": item_ref},
                                        "page": {"type": "integer"}, "per_page": {"type": "integer"},
                                        "total": {"type": "integer"}, "pages": {"type": "integer"}}})


@bp.get("/openapi.json")
def openapi_document():
    return jsonify({
        "openapi": "3.0.3",
        "info": {"title": "EventHub API", "version": "1.0.0",
                 "description": "Events, registration, check-in, booths, scheduling and reports."},
        "servers": [{"url": "/api/v1"}],
        "paths": {path: ops for path, ops in sorted(_operations.items())},
        "components": {
            "schemas": {**{name: _with_required(definition) for name, definition in _schemas.items()},
                        **{name: form_schema(form_class, **options)
                           for name, (form_class, options) in _form_schemas.items()}},
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "Personal API token from Tài khoản › Mã truy cập API"},
                "deviceToken": {"type": "http", "scheme": "bearer",
                                "description": "Check-in device token (ehd_…), scoped to one check-in list"},
            },
        },
    })


def _with_required(definition: dict) -> dict:
    """A response object's properties are all always there (null where nullable): say so, unless it says itself."""
    if definition.get("type") != "object" or "required" in definition or not definition.get("properties"):
        return definition
    return {**definition, "required": sorted(definition["properties"])}


def described_paths() -> dict[str, set[str]]:
    return {path: set(ops) for path, ops in _operations.items()}
