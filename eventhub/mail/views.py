"""The outbox as platform administrators see it (in development without providers, messages are read here),
and the provider callbacks: Kannel's delivery reports and replies ("STOP"), and the opt-out link."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature

from ..contact import normalise_phone
from ..extensions import csrf, db
from ..params import enum_arg, id_arg
from .models import Channel, OutboxMessage, OutboxStatus
from .rendering import Gone, render
from .services import failed_ids, opt_out, opt_out_signer, outbox_query, requeue, status_counts
from .sms import hook_token

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")
hooks = Blueprint("mail_hooks", __name__)
csrf.exempt(hooks)  # called by Kannel with the shared token; the opt-out form below carries its own CSRF


@bp.before_request
@login_required
def require_platform_admin():
    if not current_user.is_platform_admin:
        abort(403)


def preview(message: OutboxMessage):
    """The message as it will be (or was) sent; None when what it was about is gone."""
    try:
        return render(message)
    except Gone:
        return None


def selected_ids() -> list[int]:
    return [i for i in (id_arg({"id": value}, "id") for value in request.form.getlist("id")) if i]


def outbox_page(messages, *, counts, requeue_url, back_url=None, title=None):
    return render_template("mail/outbox.html", messages=[(m, preview(m)) for m in messages], counts=counts,
                           requeue_url=requeue_url, back_url=back_url, title=title, statuses=list(OutboxStatus),
                           channels=list(Channel))


@bp.get("")
def outbox():
    query = outbox_query(status=enum_arg(request.args, "status", OutboxStatus),
                         channel=enum_arg(request.args, "channel", Channel),
                         recipient=request.args.get("recipient"))
    return outbox_page(db.session.scalars(query.limit(200)), counts=status_counts(),
                       requeue_url=url_for("mail.requeue_messages"))


@bp.get("/<int:message_id>")
def message(message_id):
    item = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("mail/message.html", message=item, rendered=preview(item))


@bp.post("/requeue")
def requeue_messages():
    ids = failed_ids() if request.form.get("all") else selected_ids()
    count = requeue(ids)
    flash(_("Đã đưa %(count)s tin nhắn trở lại hàng đợi.", count=count), "success")
    return redirect(request.referrer or url_for("mail.outbox"))


# Provider callbacks ---------------------------------------------------------------------------

def _hook_allowed() -> bool:
    return request.args.get("token") == hook_token(current_app.config)


# Kannel's report types (dlr-mask bits): 1 delivered, 2 failed, 4 buffered, 8 accepted by the SMSC, 16 rejected.
DLR_STATES = {1: "delivered", 2: "failed", 4: "buffered", 8: "accepted", 16: "rejected"}


@hooks.get("/hooks/sms/dlr")
def sms_delivery_report():
    if not _hook_allowed():
        abort(403)
    from .delivery import record_report

    kind = request.args.get("type", type=int)
    found = record_report(request.args.get("key", ""), DLR_STATES.get(kind, str(kind)),
                          {"type": kind, "smsc_id": request.args.get("smsc_id"),
                           "answer": request.args.get("answer")}, provider_id=request.args.get("smsc_id"))
    return ("ok", 200) if found else ("unknown message", 404)


@hooks.get("/hooks/sms/incoming")
def sms_incoming():
    """Kannel's sms-service get-url for replies: "STOP" (or "TU CHOI") stops organiser messages."""
    if not _hook_allowed():
        abort(403)
    phone = normalise_phone(request.args.get("from", ""))
    words = (request.args.get("text") or "").strip().upper()
    if phone and words.split()[:1] in (["STOP"], ["HUY"], ["TUCHOI"]):
        opt_out(phone, "sms")
        return "Ban se khong nhan tin nhan quang ba tu EventHub nua.", 200
    return "", 204


@hooks.route("/messages/stop/<token>", methods=["GET", "POST"])
def stop_messages(token):
    try:
        contact = opt_out_signer().loads(token)
    except BadSignature:
        abort(404)
    done = False
    if request.method == "POST":
        csrf.protect()
        opt_out(contact, "link")
        done = True
    return render_template("mail/stop.html", contact=contact, done=done)
