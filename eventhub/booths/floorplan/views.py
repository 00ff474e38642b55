"""The organiser's floor-plan editor: hall settings, zones, booths, rows, the interactive SVG (its
drag and resize save through `place`) and a print view. Every route checks the event's organisation."""
from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...api import json_body
from ...errors import DomainError, ValidationFailed
from ...events.services import get_managed_event
from ...forms import form_from_json
from . import services as floorplan
from .api import booth_json
from .forms import BlockForm, BoothForm, PlaceForm, PlanForm, RowForm, ZoneForm, zone_choices
from .models import BoothStatus, BoothType
from .svg import render_plan_svg

bp = Blueprint("booths_plan", __name__, url_prefix="/manage/events/<int:event_id>/floor-plan")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


def _editor(event, *, plan_form=None, zone_form=None, booth_form=None, row_form=None, status=200):
    plan = floorplan.get_plan(event.id)
    if plan is None:
        form = plan_form or PlanForm(formdata=None, data={"hall_width_m": 40, "hall_depth_m": 30,
                                                          "entrance_x_m": 0, "entrance_y_m": 15})
        return render_template("booths/plan_editor.html", event=event, plan=None, plan_form=form), status
    zones, booths = floorplan.zones(plan.id), floorplan.booths(plan.id)
    booth_form, row_form = booth_form or BoothForm(formdata=None), row_form or RowForm(formdata=None)
    booth_form.zone_id.choices = row_form.zone_id.choices = zone_choices(zones)
    occupants = floorplan.occupants(plan.id)
    return render_template(
        "booths/plan_editor.html", event=event, plan=plan, zones=zones, booths=booths, occupants=occupants,
        svg=render_plan_svg(plan, booths, zones, occupants=occupants, css_class="floorplan floorplan--editor"),
        plan_form=plan_form or PlanForm(formdata=None, obj=plan), zone_form=zone_form or ZoneForm(formdata=None),
        booth_form=booth_form, row_form=row_form, zone_options=zone_choices(zones),
        booth_types=list(BoothType), counts=floorplan.status_counts(plan.id), block_form=BlockForm(formdata=None),
        log=floorplan.audit_log(plan.id, 30), audit_labels=floorplan.AUDIT_ACTIONS, BoothStatus=BoothStatus,
    ), status


def _back(event_id, anchor=None):
    return redirect(url_for("booths_plan.editor", event_id=event_id, _anchor=anchor))


def _flash_errors(form) -> None:
    flash(" ".join(str(m) for messages in form.errors.values() for m in messages) or
          " ".join(form.form_errors), "error")


@bp.get("")
def editor(event_id):
    return _editor(get_managed_event(current_user, event_id))


@bp.post("/settings")
def save_settings(event_id):
    event = get_managed_event(current_user, event_id)
    form = PlanForm()
    if form.validate():
        try:
            floorplan.save_plan(event.id, form.to_settings())
        except DomainError as error:
            form.apply_errors(error)
        else:
            flash(_("Đã lưu thông tin hội trường."), "success")
            return _back(event.id)
    return _editor(event, plan_form=form, status=422)


@bp.post("/publish", defaults={"published": True})
@bp.post("/unpublish", defaults={"published": False})
def publish(event_id, published):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    floorplan.set_published(plan.id, published)
    flash(_("Đã công bố sơ đồ gian hàng.") if published else _("Đã ngừng công bố sơ đồ gian hàng."), "success")
    return _back(event.id)


def _save_item(event, form, save, success: str, existing: bool, page_form: str, anchor: str):
    """A new item's errors are shown beside its form; an existing row's in a message (its form is a table row)."""
    if form.validate():
        try:
            save()
        except DomainError as error:
            if error.status == 404:
                raise
            form.apply_errors(error)
        else:
            flash(success, "success")
            return _back(event.id, anchor)
    if existing:
        _flash_errors(form)
        return _back(event.id, anchor)
    return _editor(event, **{page_form: form}, status=422)


@bp.post("/zones", defaults={"zone_id": None})
@bp.post("/zones/<int:zone_id>")
def save_zone(event_id, zone_id):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    form = ZoneForm()
    return _save_item(event, form, lambda: floorplan.save_zone(plan.id, zone_id, form.to_spec()),
                      _("Đã lưu khu “%(name)s”.", name=form.name.data), zone_id is not None, "zone_form", "zones")


@bp.post("/zones/<int:zone_id>/delete")
def delete_zone(event_id, zone_id):
    event = get_managed_event(current_user, event_id)
    floorplan.delete_zone(floorplan.require_plan(event.id).id, zone_id)
    flash(_("Đã xoá khu; các gian hàng trong khu được giữ lại."), "success")
    return _back(event.id, "zones")


def _booth_form(plan) -> BoothForm:
    form = BoothForm()
    form.zone_id.choices = zone_choices(floorplan.zones(plan.id))
    return form


@bp.post("/booths", defaults={"booth_id": None})
@bp.post("/booths/<int:booth_id>")
def save_booth(event_id, booth_id):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    form = _booth_form(plan)
    return _save_item(event, form, lambda: floorplan.save_booth(plan.id, booth_id, form.to_spec()),
                      _("Đã lưu gian hàng %(code)s.", code=(form.code.data or "").upper()), booth_id is not None,
                      "booth_form", "booths")


@bp.post("/rows")
def generate_row(event_id):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    form = RowForm()
    form.zone_id.choices = zone_choices(floorplan.zones(plan.id))
    return _save_item(event, form, lambda: floorplan.generate_row(plan.id, form.to_spec()),
                      _("Đã tạo dãy %(count)s gian hàng.", count=form.count.data), False, "row_form", "rows")


@bp.post("/booths/<int:booth_id>/delete")
def delete_booth(event_id, booth_id):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    try:
        floorplan.delete_booth(plan.id, booth_id)
        flash(_("Đã xoá gian hàng."), "success")
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    return _back(event.id, "booths")


@bp.post("/booths/<int:booth_id>/block", defaults={"blocked": True})
@bp.post("/booths/<int:booth_id>/unblock", defaults={"blocked": False})
def block(event_id, booth_id, blocked):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    form = BlockForm()
    try:
        if not form.validate():
            raise ValidationFailed(form.errors)
        booth = floorplan.set_blocked(plan.id, booth_id, blocked, actor_user_id=current_user.id,
                                      reason=form.reason.data or "")
        flash(_("Đã khoá gian hàng %(code)s.", code=booth.code) if blocked
              else _("Đã mở lại gian hàng %(code)s.", code=booth.code), "success")
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    return _back(event.id, "booths")


@bp.post("/booths/<int:booth_id>/place")
def place(event_id, booth_id):
    """JSON for the editor's drag and resize (CSRF token in the X-CSRFToken header); errors come back
    as JSON through the error handler, e.g. 422 `booth_overlap` with the message to show."""
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    form = form_from_json(PlaceForm, json_body())
    booth = floorplan.place_booth(plan.id, booth_id, x_m=form.x_m.data, y_m=form.y_m.data,
                                  width_m=form.width_m.data, depth_m=form.depth_m.data)
    return jsonify({"booth": booth_json(booth), "version": plan.version})


@bp.get("/print")
def print_view(event_id):
    event = get_managed_event(current_user, event_id)
    plan = floorplan.require_plan(event.id)
    zones, booths = floorplan.zones(plan.id), floorplan.booths(plan.id)
    occupants = floorplan.occupants(plan.id)
    return render_template("booths/plan_print.html", event=event, plan=plan, booths=booths, occupants=occupants,
                           svg=render_plan_svg(plan, booths, zones, occupants=occupants,
                                               css_class="floorplan floorplan--print"))
