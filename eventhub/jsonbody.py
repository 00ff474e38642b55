"""JSON request bodies read one strict way for every endpoint: UTF-8 only, a bounded size and depth, an object at
the top, keys a database can store. What fails is a 413 or a 422 naming `_body`, never a 500 (a body nested a
thousand deep used to raise RecursionError inside json.loads)."""
import json
import re

from flask import Request, current_app
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import ValidationFailed
from .forms import has_invalid_characters

MAX_JSON_DEPTH = 32
DEFAULT_MAX_JSON_BYTES = 1024 * 1024
# A JSON string literal, so that brackets inside text do not count as nesting.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def body_error(message) -> ValidationFailed:
    return ValidationFailed({"_body": [message]})


def _depth(text: str) -> int:
    deepest = depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _bad_keys(value) -> bool:
    """A key with NUL or a lone surrogate anywhere in the document (values are judged by their field)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if any(has_invalid_characters(key) for key in item):
                return True
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def parse(data: bytes, max_bytes: int = DEFAULT_MAX_JSON_BYTES) -> dict:
    """The JSON object in `data`, or ValidationFailed (`_body`) / RequestEntityTooLarge."""
    if len(data) > max_bytes:
        raise RequestEntityTooLarge()
    try:
        text = data.decode("utf-8")  # strict: no encoded surrogates (ED A0 80), no stray bytes
    except UnicodeDecodeError:
        raise body_error(_l("Nội dung yêu cầu phải là văn bản UTF-8 hợp lệ.")) from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise body_error(_l("Nội dung JSON lồng quá sâu (tối đa %(depth)d mức).", depth=MAX_JSON_DEPTH))
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise body_error(_l("Nội dung yêu cầu không phải JSON hợp lệ.")) from None
    if not isinstance(value, dict):
        raise body_error(_l("Nội dung yêu cầu phải là một đối tượng JSON."))
    if _bad_keys(value):
        raise body_error(_l("Có ký tự không hợp lệ."))
    return value


_UNREAD = object()


class StrictJsonRequest(Request):
    """`request.get_json()` through `parse`, read once. `silent` only silences a body that is not JSON at all
    (no JSON content type): a JSON body that cannot be read is always the client's error, said precisely."""

    _strict_json = _UNREAD

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        if not (force or self.is_json):
            return None if silent else self.on_json_loading_failed(None)
        if self._strict_json is _UNREAD:
            try:
                limit = current_app.config.get("MAX_JSON_BYTES", DEFAULT_MAX_JSON_BYTES)
                if self.content_length is not None and self.content_length > limit:
                    raise RequestEntityTooLarge()
                # One byte past the limit is enough to know, also for a chunked body of unknown length.
                self._strict_json = parse(self.stream.read(limit + 1), limit)
            except (ValidationFailed, RequestEntityTooLarge) as error:
                self._strict_json = error
        if isinstance(self._strict_json, Exception):
            raise self._strict_json
        return self._strict_json


BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def reads_refused_body(view):
    """Mark a view that reads an unreadable body itself (to record it, as a scan is), instead of the refusal
    before every view."""
    view.reads_refused_body = True
    return view


def register_body_check(app):
    @app.before_request
    def read_json_body_first():
        """A JSON body is read before authentication and lookups, so that every endpoint answers an unreadable
        one the same way, whatever its path and token."""
        from flask import request

        if request.method not in BODY_METHODS or not request.is_json:
            return
        view = app.view_functions.get(request.endpoint)
        if view is not None and getattr(view, "reads_refused_body", False):
            return
        request.get_json()
