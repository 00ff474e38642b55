"""Organiser pages of an event: write a message to a chosen audience (preview, then send), and the event's
outbox with every message it caused, failed ones requeueable."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError, ValidationFailed
from ..events.coorganisers import get_partner_event
from ..events.services import get_managed_event
from ..extensions import db
from ..forms import submit
from ..mail.services import failed_ids, outbox_query, requeue, status_counts
from ..mail.views import outbox_page, selected_ids
from . import services
from .forms import OrganiserMessageForm

bp = Blueprint("broadcasts", __name__, url_prefix="/manage/events/<int:event_id>")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


@bp.route("/messages", methods=["GET", "POST"])
def compose(event_id):
    event, partner_id = get_partner_event(current_user, event_id)  # a co-organiser writes to its own people
    form = OrganiserMessageForm().bind(event, partner_id)
    summary = None
    if request.method == "POST" and request.form.get("action") == "send":
        def save(valid):
            try:
                return services.send(event, valid.to_details(), user_id=current_user.id)
            except DomainError as error:
                if isinstance(error, ValidationFailed):
                    raise
                flash(error.explanation(), "error")
                return None

        result = submit(form, save)
        if result:
            message, sent = result
            flash(_("Đã xếp hàng gửi “%(subject)s” tới %(count)s người (%(paid)s tin SMS/Zalo).",
                    subject=message.subject, count=message.recipients, paid=message.paid), "success")
            if sent.paid_over_budget:
                flash(_("Đã hết hạn mức tin SMS/Zalo của sự kiện: %(count)s người không được gửi.",
                        count=sent.paid_over_budget), "warning")
            return redirect(url_for("broadcasts.compose", event_id=event.id))
    elif request.method == "POST":
        form.validate()  # the preview needs only the audience; the text may still be empty
        summary = services.preview(event, form.to_audience())
    return render_template("broadcasts/compose.html", event=event, form=form, preview=summary,
                           sent=services.sent_messages(event.id, partner_id), partner_id=partner_id)


@bp.get("/outbox")
def outbox(event_id):
    event = get_managed_event(current_user, event_id)
    return outbox_page(db.session.scalars(outbox_query(event_id=event.id).limit(200)),
                       counts=status_counts(event.id),
                       requeue_url=url_for("broadcasts.requeue_messages", event_id=event.id),
                       back_url=url_for("manage.event_detail", event_id=event.id),
                       title=_("Hộp thư đi: %(title)s", title=event.title))


@bp.post("/outbox/requeue")
def requeue_messages(event_id):
    event = get_managed_event(current_user, event_id)
    ids = failed_ids(event.id) if request.form.get("all") else selected_ids()
    count = requeue(ids, event_id=event.id)
    flash(_("Đã đưa %(count)s tin nhắn trở lại hàng đợi.", count=count), "success")
    return redirect(url_for("broadcasts.outbox", event_id=event.id))
