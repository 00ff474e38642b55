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
from ...forms import submit, submit_json
from ..floorplan import services as floorplan
from ..floorplan.svg import render_plan_svg
from . import services as service
from .api import booth_ids_beside
from .forms import DropForm, MoveForm, RunPageForm, SwapForm

bp = Blueprint("booth_allocation", __name__, url_prefix="/manage/events/<int:event_id>/allocation")


@bp.app_context_processor
def allocation_links():
    """The allocation page needs a floor plan: the event's links offer it only then."""
    return {"has_floor_plan": lambda event_id: floorplan.get_plan(event_id) is not None}


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


def _back(event_id):
    return redirect(url_for("booth_allocation.page", event_id=event_id))


def _submit_and_flash(event_id: int, form, save, success: str):
    """A change made from a row of the page: its outcome, the form's messages or the service's, is flashed."""
    try:
        saved = submit(form, save)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        if saved is None:
            flash(_errors(form), "error")
        else:
            flash(success, "success")
    return _back(event_id)


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
    rules_form = rules_form or RunPageForm(formdata=None, data=service.form_rules(run))
    occupants = floorplan.occupants(plan.id)
    log = floorplan.audit_log(plan.id, 50)
    return render_template(
        "booths/allocation_page.html", event=event, plan=plan, run=run, rules_form=rules_form,
        move_form=MoveForm(formdata=None), swap_form=SwapForm(formdata=None),
        svg=render_plan_svg(plan, booths, zones, occupants=occupants, css_class="floorplan floorplan--allocation"),
        rows=service.assignment_rows(plan.id), unplaced=service.unplaced_applications(event.id),
        figures=_figures(run), explanations=(run.explanations if run else {}), log=log, actors=service.actor_names(log),
        audit_labels=floorplan.AUDIT_ACTIONS, unannounced=service.unannounced_count(plan.id),
        quality=service.quality_percent(run.objective, run.upper_bound) if run else None), status


def _submit_rules(event_id: int, save):
    """A run's rules, to preview or to apply: (form, result, None), or (form, None, the page answering a refusal)."""
    form = RunPageForm()
    try:
        result = submit(form, save)
    except DomainError as error:
        flash(error.explanation(), "error")
        return form, None, _back(event_id)
    if result is None:
        flash(_errors(form), "error")
        return form, None, page(event_id, rules_form=form, status=422)
    return form, result, None


@bp.post("/run")
def run(event_id):
    """First the preview: which exhibitors would move; nothing is written until the organiser applies it."""
    event = get_managed_event(current_user, event_id)
    form, planned, refused = _submit_rules(event.id, lambda f: service.preview(
        event.id, f.to_details(), priority_basis=f.priority_basis.data, move_told=f.move_told.data))
    if refused:
        return refused
    return render_template("booths/allocation_preview.html", event=event, form=form, preview=planned,
                           quality=service.quality_percent(planned.result.objective, planned.result.upper_bound))


@bp.post("/run/apply")
def apply_run(event_id):
    event = get_managed_event(current_user, event_id)
    _form, result, refused = _submit_rules(event.id, lambda f: service.run(
        event.id, f.to_details(), priority_basis=f.priority_basis.data, actor_user_id=current_user.id,
        move_told=f.move_told.data, expected_digest=f.digest.data or ""))
    if refused:
        return refused
    flash(_("Đã phân bổ: %(assigned)d đơn vị có gian, %(unassigned)d chưa có gian.",
            assigned=result.assigned, unassigned=result.unassigned), "success")
    return _back(event.id)


@bp.post("/announce")
def announce(event_id):
    """Tell every placed exhibitor not yet told its booth (e-mail with the reason)."""
    event = get_managed_event(current_user, event_id)
    try:
        count = service.announce(event.id, actor_user_id=current_user.id)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Đã gửi thông báo gian hàng cho %(n)d đơn vị.", n=count), "success")
    return _back(event.id)


@bp.post("/move")
def move(event_id):
    event = get_managed_event(current_user, event_id)
    return _submit_and_flash(event.id, MoveForm(), lambda f: service.move(
        event.id, f.application_id.data, service.booth_ids_for_codes(event.id, f.booth_codes.data),
        actor_user_id=current_user.id), _("Đã chuyển gian."))


@bp.post("/move.json")
def move_json(event_id):
    """The map's drag and drop: {application_id, booth_ids}; CSRF in the X-CSRFToken header."""
    event = get_managed_event(current_user, event_id)
    payload = json_body()
    booth_ids = booth_ids_beside(payload)
    application_id, booths = submit_json(DropForm, lambda form: (form.application_id.data, service.move(
        event.id, form.application_id.data, booth_ids, actor_user_id=current_user.id)), payload=payload)
    return jsonify({"application_id": application_id, "booths": [b.code for b in booths]})


@bp.post("/swap")
def swap(event_id):
    event = get_managed_event(current_user, event_id)
    return _submit_and_flash(event.id, SwapForm(), lambda f: service.swap(
        event.id, f.application_id.data, f.other_application_id.data, actor_user_id=current_user.id),
        _("Đã đổi chỗ hai đơn vị."))


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
