"""One error family for business rules, and one handler that answers in HTML or JSON."""
from flask import current_app, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.exceptions import NotFound as NotFoundError
from werkzeug.routing import RequestRedirect

from .i18n import locale_without_database
from .text import redact_secrets


class DomainError(Exception):
    """A broken business rule, with a stable code for machines and a message for people."""

    status = 400

    def __init__(self, code: str, message, *, fields: dict | None = None, status: int | None = None, **params):
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = params
        self.fields = fields or {}
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text

    def explanation(self) -> str:
        """What a person should read: the field messages when there are any, else the message."""
        details = [str(m) for messages in self.fields.values() for m in messages]
        return " ".join(details) if details else str(self)


class NotFound(DomainError):
    status = 404

    def __init__(self, message=None):
        super().__init__("not_found", message or _l("Không tìm thấy nội dung bạn yêu cầu."))


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message=None):
        super().__init__("forbidden", message or _l("Bạn không có quyền thực hiện thao tác này."))


class ValidationFailed(DomainError):
    status = 422

    def __init__(self, fields: dict[str, list[str]], message=None):
        super().__init__(
            "validation_error",
            message or _l("Dữ liệu chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu."),
            fields=fields,
        )


HTTP_MESSAGES = {
    400: ("bad_request", _l("Yêu cầu không hợp lệ.")),
    401: ("unauthorized", _l("Bạn cần đăng nhập để tiếp tục.")),
    403: ("forbidden", _l("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", _l("Không tìm thấy nội dung bạn yêu cầu.")),
    405: ("method_not_allowed", _l("Phương thức này không được hỗ trợ cho địa chỉ này.")),
    413: ("payload_too_large", _l("Tệp tải lên quá lớn.")),
    415: ("unsupported_media_type", _l("Định dạng dữ liệu gửi lên không được hỗ trợ.")),
    429: ("rate_limited", _l("Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.")),
    500: ("server_error", _l("Đã có lỗi hệ thống. Chúng tôi đã ghi nhận và sẽ khắc phục.")),
}
# Any other status gets one of these rather than Werkzeug's English description.
GENERIC_CLIENT_ERROR = ("http_error", _l("Không thể xử lý yêu cầu này."))
GENERIC_SERVER_ERROR = ("server_error", _l("Hệ thống tạm thời không xử lý được yêu cầu. Vui lòng thử lại sau."))


RETRY_AFTER_SECONDS = 2
_SQLITE_BUSY = ("database is locked", "unable to open database file", "disk i/o error")


def unavailability(err: DBAPIError) -> str | None:
    """"busy" or "unavailable" when the database error means "try again shortly", None for a real bug."""
    if type(err.orig).__module__.startswith("sqlite3"):
        text = str(err.orig).lower()
        return ("busy" if "locked" in text else "unavailable") if any(m in text for m in _SQLITE_BUSY) else None
    if err.connection_invalidated or isinstance(err, (OperationalError, InterfaceError)):
        return "unavailable"  # the driver's OperationalError: connection refused or lost, server shutting down
    return None


def http_message(status: int) -> tuple[str, object]:
    if status in HTTP_MESSAGES:
        return HTTP_MESSAGES[status]
    return GENERIC_SERVER_ERROR if status >= 500 else GENERIC_CLIENT_ERROR


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if fields:
            body["error"]["fields"] = {name: [str(m) for m in msgs] for name, msgs in fields.items()}
        return make_response(jsonify(body), status)
    return make_response(render_template("errors/error.html", status=status, message=message), status)


def _methods_that_match(methods) -> list[str]:
    """Werkzeug answers 405 when a rule's pattern fits the path under another method, before its converters
    judge the values; these are the methods under which the path really is an address."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in methods:
        try:
            adapter.match(method=method)
        except (NotFoundError, MethodNotAllowed):
            continue
        except RequestRedirect:
            pass
        allowed.append(method)
    return allowed


def register_error_handlers(app):
    @app.errorhandler(DomainError)
    def handle_domain_error(err: DomainError):
        message = str(err) if wants_json() else err.explanation()
        return error_response(err.status, err.code, message, err.fields)

    @app.errorhandler(CSRFError)
    def handle_csrf(err):
        message = _l("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại.")
        return error_response(400, "csrf_failed", str(message))

    @app.errorhandler(HTTPException)
    def handle_http(err: HTTPException):
        code, message = http_message(err.code)
        response = error_response(err.code, code, str(message))
        if err.code == 405 and getattr(err, "valid_methods", None):
            allowed = _methods_that_match(err.valid_methods)
            if not allowed:  # the path matched no rule's values (an id out of range): no such address at all
                return handle_http(NotFoundError())
            response.headers["Allow"] = ", ".join(sorted(allowed))
        if err.code == 429 and getattr(err, "retry_after", None):
            response.headers["Retry-After"] = str(err.retry_after)
        return response

    @app.errorhandler(DBAPIError)
    def handle_database_unavailable(err: DBAPIError):
        """The database cannot answer now (PostgreSQL restarting or failing over, a connection cut, SQLite's
        write lock held past busy_timeout): 503 with Retry-After, so clients retry instead of giving up."""
        reason = unavailability(err)
        if reason is None:
            return handle_unexpected(err)
        from .extensions import db

        try:
            db.session.rollback()
        except DBAPIError:
            pass  # the connection is gone; the pool replaces it
        app.logger.warning("database %s on %s %s: %s", reason, request.method, redact_secrets(request.path),
                           err.orig)
        with force_locale(locale_without_database()):
            message = str(_l("Hệ thống đang bận, vui lòng thử lại sau giây lát."))
            if wants_json():
                response = make_response(jsonify({"error": {"code": reason, "message": message}}), 503)
            else:  # a page that needs no database: the usual layout asks it who is signed in
                response = make_response(render_template("errors/unavailable.html", message=message), 503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(err: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, redact_secrets(request.path))
        # A failed flush leaves the session unusable (on PostgreSQL the whole transaction is aborted),
        # and the error page itself reads the database, e.g. to show who is signed in.
        from .extensions import db

        try:
            db.session.rollback()
        except Exception:  # the connection itself may be gone; the page must still render
            app.logger.exception("Rollback after an unhandled error failed")
        code, message = HTTP_MESSAGES[500]
        return error_response(500, code, str(message))
