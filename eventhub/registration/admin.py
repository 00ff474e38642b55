"""Participant groups as the platform admin configures them: list, add, rename, reorder, retire."""
from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.views import require_platform_admin
from ..forms import submit
from . import groups, services
from .forms import GroupForm, NewGroupForm

bp = Blueprint("participant_groups", __name__, url_prefix="/admin/participant-groups")
bp.before_request(require_platform_admin)


def _page(form=None, status=200):
    return render_template("registration/admin/groups.html", groups=groups.participant_groups(),
                           form=form or NewGroupForm(formdata=None)), status


@bp.get("")
def index():
    return _page()


@bp.post("")
def add():
    form = NewGroupForm()
    group = submit(form, lambda f: groups.add_group(f.code.data, f.to_details()))
    if group is None:
        return _page(form, 422)
    flash(_("Đã thêm nhóm đối tượng “%(name)s”.", name=group.label), "success")
    return redirect(url_for("participant_groups.index"))


@bp.post("/<code>")
def update(code):
    groups.get_group(code)
    form = GroupForm()
    group = submit(form, lambda f: groups.update_group(code, f.to_details()))
    if group is None:
        flash(" ".join(str(m) for messages in form.errors.values() for m in messages), "error")
    else:
        flash(_("Đã lưu nhóm đối tượng “%(name)s”.", name=group.label), "success")
    return redirect(url_for("participant_groups.index"))


# The personal-data log: every export and erasure, for the platform admins (Decree 13) -----------------------

personal_data_bp = Blueprint("personal_data_log", __name__, url_prefix="/admin/personal-data-log")
personal_data_bp.before_request(require_platform_admin)


@personal_data_bp.get("")
def personal_data_log():
    response = make_response(render_template("registration/admin/personal_data_log.html",
                                             entries=services.personal_data_log()))
    response.headers["Cache-Control"] = "no-store"
    return response
