"""Response headers that keep pages from being framed, sniffed or leaking secret URLs, and a refusal of
text no database column can store."""
import time

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .errors import DomainError
from .forms import has_invalid_characters

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


HSTS = "max-age=31536000; includeSubDomains"
def _may_hold_personal_data() -> bool:
    """Pages of a signed-in person, answers to a token or a ticket key, ticket pages and answers to a form: no
    browser or proxy cache keeps them (static files and the public portal may be cached)."""
    from flask_login import current_user

    if request.endpoint == "static":
        return False
    return (request.method != "GET" or "Authorization" in request.headers or "X-Ticket-Key" in request.headers
            or request.path.startswith(("/tickets/", "/api/v1/ticket")) or current_user.is_authenticated)


def register_security_headers(app):
    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Ticket and device links carry secrets: never send them to another site.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:  # over HTTPS (X-Forwarded-Proto counts behind TRUST_PROXY_HOPS proxies)
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if "Cache-Control" not in response.headers and _may_hold_personal_data():
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.before_request
    def refuse_invalid_characters():
        """NUL or a lone surrogate in the path, the query string or a submitted form is never meant: refuse it
        before it reaches a query (PostgreSQL cannot store NUL) or a page."""
        if has_invalid_characters(request.path) or any(
                has_invalid_characters(text) for source in (request.args, request.form)
                for key, value in source.items(multi=True) for text in (key, value)):
            raise DomainError("invalid_characters", _l("Yêu cầu chứa ký tự không hợp lệ."), status=400)



# Bot protection for public forms, with no third party: a signed token with the time the form was shown, and a
# honeypot field people never see. A person on a slow phone is never refused for being slow (the token lasts a day).
HONEYPOT_FIELD, FORM_TOKEN_FIELD = "website", "form_token"
FORM_TOKEN_MAX_AGE = 24 * 3600


def _form_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="eventhub-public-form")


def form_token(now: float | None = None) -> str:
    """What the page embeds: when it was shown, signed."""
    return _form_serializer().dumps({"shown": now if now is not None else time.time()})


def human_check(form_data, now: float | None = None):
    """None for a submission a person made; else the message to show (with a fresh form). A bot fills the hidden
    field, posts without the page or faster than MIN_FILL seconds after it was shown."""
    now = now if now is not None else time.time()
    if (form_data.get(HONEYPOT_FIELD) or "").strip():
        return _l("Không gửi được biểu mẫu. Vui lòng tải lại trang và thử lại.")
    try:
        shown = _form_serializer().loads(form_data.get(FORM_TOKEN_FIELD) or "", max_age=FORM_TOKEN_MAX_AGE)["shown"]
    except (BadSignature, KeyError, TypeError):
        return _l("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng kiểm tra lại thông tin và gửi lần nữa.")
    if now - float(shown) < current_app.config["PUBLIC_FORM_MIN_SECONDS"]:
        return _l("Bạn gửi quá nhanh. Vui lòng kiểm tra lại thông tin và gửi lần nữa.")
    return None
