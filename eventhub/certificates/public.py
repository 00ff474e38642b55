"""What anyone sees: the verification page a certificate's QR opens, and a participant's certificates behind their
ticket's secret link (download, or take their own completion certificate when the organiser allows it)."""
from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..errors import DomainError, NotFound
from ..extensions import limiter
from ..registration import services as registrations
from ..text import slugify
from . import pdf, services

bp = Blueprint("certificates_public", __name__)


@bp.app_context_processor
def certificates_context():
    # The ticket page (registration) lists a participant's certificates without importing this module.
    return {"ticket_certificates": ticket_certificates}


def ticket_certificates(registration) -> dict:
    return {"certificates": services.of_registration(registration.id),
            "self_service": services.self_service_allowed(registration)}


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _no_index(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/verify/<path:code>")  # a code altered into anything, slashes too, still "does not exist"
@limiter.limit(_verify_limit)
def verify(code):
    """The certificate's holder, event, dates, issuing agency and whether it still holds; never a phone or e-mail."""
    certificate = services.by_code(code)
    page = render_template("certificates/verify.html", certificate=certificate, event=certificate.event,
                           event_dates=services.event_dates(certificate.event))
    return _no_index(Response(page))


def _ticket_certificate(access_key, code):
    registration = registrations.by_access_key(access_key)
    certificate = next((c for c in services.of_registration(registration.id) if c.code == code), None)
    if certificate is None:
        raise NotFound()
    return certificate


@bp.get("/tickets/<access_key>/certificates/<code>.pdf")
def ticket_certificate_pdf(access_key, code):
    certificate = _ticket_certificate(access_key, code)
    response = Response(pdf.render([certificate]), mimetype="application/pdf")
    response.headers["Content-Disposition"] = \
        f'inline; filename="giay-chung-nhan-{slugify(certificate.number)}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.post("/tickets/<access_key>/certificates")
@limiter.limit(_verify_limit)
def ticket_self_issue(access_key):
    registration = registrations.by_access_key(access_key)
    try:
        certificate = services.self_issue(registration)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Giấy chứng nhận số %(number)s đã được cấp cho bạn.", number=certificate.number), "success")
    return redirect(url_for("registration.ticket", access_key=access_key))
