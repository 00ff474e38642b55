"""The organiser's allocation page: rules, "Phân bổ tự động", the result with its bound and the reason for
every application left without a booth, the map where exhibitors are dragged to other booths (a form does
the same), lock toggles and the audit log. Every route checks the event's organisation."""
from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...api import json_body
from ...errors import DomainError
from ...events.services import get_managed_event
from ...forms import form_from_json
from ..floorplan import services as floorplan
from ..floorplan.svg import render_plan_svg
from . import services as service
from .forms import DropForm, MoveForm, RulesForm, SwapForm

bp = Blueprint("booth_allocation", __name__, url_prefix="/manage/events/<int:event_id>/allocation")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


def _back(event_id):
    return redirect(url_for("booth_allocation.page", event_id=event_id))


def _errors(form) -> str:
    return " ".join(f"{form[name].label.text}: {' '.join(str(m) for m in messages)}"
                    for name, messages in form.errors.items())


def _figures(run) -> dict[str, str]:
    """The run's numbers written the local way (10,58 in Vietnamese)."""
    if run is None:
        return {}
    return {name: format_decimal(getattr(run, name), format="#,##0.00")
            for name in ("objective", "upper_bound", "gap_percent", "seconds")}


@bp.get("")
def page(event_id, rules_form=None, status=200):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    booths, zones = floorplan.booths(plan.id), floorplan.zones(plan.id)
    run = service.latest_run(plan.id)
    rules_form = rules_form or RulesForm(formdata=None, data=service.form_rules(run))
    occupants = floorplan.occupants(plan.id)
    log = floorplan.audit_log(plan.id, 50)
    return render_template(
        "booths/allocation_page.html", event=event, plan=plan, run=run, rules_form=rules_form,
        move_form=MoveForm(formdata=None), swap_form=SwapForm(formdata=None),
        svg=render_plan_svg(plan, booths, zones, occupants=occupants, css_class="floorplan floorplan--allocation"),
        rows=service.assignment_rows(plan.id), unplaced=service.unplaced_applications(event.id),
        figures=_figures(run), explanations=(run.explanations if run else {}), log=log, actors=service.actor_names(log),
        audit_labels=floorplan.AUDIT_ACTIONS), status


@bp.post("/run")
def run(event_id):
    event = get_managed_event(current_user, event_id)
    form = RulesForm()
    if not form.validate():
        flash(_errors(form), "error")
        return page(event_id, rules_form=form, status=422)
    try:
        result = service.run(event.id, form.rules(), priority_basis=form.priority_basis.data,
                             actor_user_id=current_user.id)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Đã phân bổ: %(assigned)d đơn vị có gian, %(unassigned)d chưa có gian.",
                assigned=result.assigned, unassigned=result.unassigned), "success")
    return _back(event.id)


@bp.post("/move")
def move(event_id):
    event = get_managed_event(current_user, event_id)
    form = MoveForm()
    if not form.validate():
        flash(_errors(form), "error")
        return _back(event.id)
    try:
        booth_ids = service.booth_ids_for_codes(event.id, form.booth_codes.data)
        service.move(event.id, form.application_id.data, booth_ids, actor_user_id=current_user.id)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Đã chuyển gian."), "success")
    return _back(event.id)


@bp.post("/move.json")
def move_json(event_id):
    """The map's drag and drop: {application_id, booth_ids}; CSRF in the X-CSRFToken header."""
    event = get_managed_event(current_user, event_id)
    payload = json_body()
    booth_ids = payload.pop("booth_ids", None)
    if not isinstance(booth_ids, list) or not all(isinstance(b, int) and not isinstance(b, bool) for b in booth_ids):
        raise DomainError("invalid_booths", _("booth_ids phải là danh sách mã số gian hàng."), status=422)
    form = form_from_json(DropForm, payload)
    booths = service.move(event.id, form.application_id.data, booth_ids, actor_user_id=current_user.id)
    return jsonify({"application_id": form.application_id.data, "booths": [b.code for b in booths]})


@bp.post("/swap")
def swap(event_id):
    event = get_managed_event(current_user, event_id)
    form = SwapForm()
    if not form.validate():
        flash(_errors(form), "error")
        return _back(event.id)
    try:
        service.swap(event.id, form.application_id.data, form.other_application_id.data,
                     actor_user_id=current_user.id)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Đã đổi chỗ hai đơn vị."), "success")
    return _back(event.id)


@bp.post("/applications/<int:application_id>/unassign", defaults={"action": "unassign"})
@bp.post("/applications/<int:application_id>/lock", defaults={"action": "lock"})
@bp.post("/applications/<int:application_id>/unlock", defaults={"action": "unlock"})
def application_action(event_id, application_id, action):
    event = get_managed_event(current_user, event_id)
    try:
        if action == "unassign":
            service.unassign(event.id, application_id, actor_user_id=current_user.id)
        else:
            service.set_locked(event.id, application_id, action == "lock", actor_user_id=current_user.id)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash({"unassign": _("Đã gỡ đơn vị khỏi gian."), "lock": _("Đã giữ cố định gian của đơn vị."),
               "unlock": _("Đã bỏ giữ cố định.")}[action], "success")
    return _back(event.id)
