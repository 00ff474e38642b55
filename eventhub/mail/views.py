"""The outbox as platform administrators see it: in development without SMTP, mail is read here."""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from ..extensions import db
from .models import OutboxMessage
from .services import recent_messages

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")


@bp.before_request
@login_required
def require_platform_admin():
    if not current_user.is_platform_admin:
        abort(403)


@bp.get("")
def outbox():
    return render_template("mail/outbox.html", messages=recent_messages())


@bp.get("/<int:message_id>")
def message(message_id):
    item = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("mail/message.html", message=item)
