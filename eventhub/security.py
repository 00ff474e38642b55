"""Response headers that keep pages from being framed, sniffed or leaking secret URLs, and a refusal of
text no database column can store."""
from flask import request
from flask_babel import lazy_gettext as _l

from .errors import DomainError
from .forms import has_invalid_characters

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def register_security_headers(app):
    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Ticket and device links carry secrets: never send them to another site.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.before_request
    def refuse_invalid_characters():
        """NUL or a lone surrogate in the path, the query string or a submitted form is never meant: refuse it
        before it reaches a query (PostgreSQL cannot store NUL) or a page."""
        if has_invalid_characters(request.path) or any(
                has_invalid_characters(text) for source in (request.args, request.form)
                for key, value in source.items(multi=True) for text in (key, value)):
            raise DomainError("invalid_characters", _l("Yêu cầu chứa ký tự không hợp lệ."), status=400)

