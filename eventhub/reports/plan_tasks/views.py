"""Plan task and manual indicator pages, reached from the plan page. Each route checks the plan's organisation
(another organisation gets 404) and calls one service."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...accounts.services import EVENT_MANAGER_ROLES, require_role
from ...forms import submit
from ...uploads import send_upload
from ..models import Plan
from ..plans import get_plan
from . import services
from .forms import EntryUploadForm, ManualIndicatorForm, TaskForm

bp = Blueprint("plan_tasks", __name__, url_prefix="/manage/plans/<int:plan_id>")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks the plan's organisation."""


bp.add_app_template_global(services.due_label, "due_label")


def managed_plan(plan_id: int) -> Plan:
    plan = get_plan(plan_id)
    require_role(current_user, plan.organisation_id, EVENT_MANAGER_ROLES)
    return plan


def _to_plan(plan: Plan, message: str):
    flash(message, "success")
    return redirect(url_for("reports.plan_detail", plan_id=plan.id))


@bp.route("/tasks/new", methods=["GET", "POST"], defaults={"task_id": None})
@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
def task(plan_id, task_id):
    plan = managed_plan(plan_id)
    existing = services.get_task(plan.id, task_id) if task_id else None
    # Filled from the task when shown; a submitted form holds exactly what was sent (an empty quarter is none).
    shown = existing if request.method == "GET" else None
    form = TaskForm(obj=shown).bind(plan)
    if shown is not None:
        form.co_organisation_ids.data = [o.id for o in existing.co_organisations]
        form.event_ids.data = [e.id for e in existing.events]
        if existing.due_quarter:
            form.due_on.data = None
    if submit(form, lambda f: services.save_task(plan.id, task_id, f.to_details())) is not None:
        return _to_plan(plan, _("Đã lưu nhiệm vụ."))
    return render_template("reports/plan_task.html", plan=plan, task=existing, form=form), \
        200 if not form.errors else 422


@bp.post("/tasks/<int:task_id>/delete")
def delete_task(plan_id, task_id):
    plan = managed_plan(plan_id)
    services.delete_task(plan.id, task_id)
    return _to_plan(plan, _("Đã xoá nhiệm vụ."))


@bp.route("/indicators/new", methods=["GET", "POST"])
def new_manual_indicator(plan_id):
    plan = managed_plan(plan_id)
    form = ManualIndicatorForm()
    if submit(form, lambda f: services.save_manual_indicator(plan.id, None, f.to_details())) is not None:
        return _to_plan(plan, _("Đã thêm chỉ tiêu nhập tay."))
    return render_template("reports/plan_manual_indicator.html", plan=plan, indicator=None, form=form,
                           entry_form=None), 200 if not form.errors else 422


def _indicator_page(plan, indicator, form, entry_form):
    failed = form.errors or entry_form.errors
    return render_template("reports/plan_manual_indicator.html", plan=plan, indicator=indicator, form=form,
                           entry_form=entry_form), 422 if failed else 200


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
def manual_indicator(plan_id, indicator_id):
    """The indicator (its form edits it) and its entries."""
    plan = managed_plan(plan_id)
    indicator = services.get_manual_indicator(plan.id, indicator_id)
    form = ManualIndicatorForm(obj=indicator if request.method == "GET" else None)
    if submit(form, lambda f: services.save_manual_indicator(plan.id, indicator.id, f.to_details())) is not None:
        flash(_("Đã lưu chỉ tiêu nhập tay."), "success")
        return redirect(url_for("plan_tasks.manual_indicator", plan_id=plan.id, indicator_id=indicator.id))
    return _indicator_page(plan, indicator, form, EntryUploadForm(formdata=None))


@bp.post("/indicators/<int:indicator_id>/entries")
def add_entry(plan_id, indicator_id):
    plan = managed_plan(plan_id)
    indicator = services.get_manual_indicator(plan.id, indicator_id)
    entry_form = EntryUploadForm()
    if submit(entry_form, lambda f: services.add_entry(plan.id, indicator.id, f.to_details(),
                                                       created_by_id=current_user.id)) is not None:
        flash(_("Đã ghi nhận số liệu."), "success")
        return redirect(url_for("plan_tasks.manual_indicator", plan_id=plan.id, indicator_id=indicator.id))
    return _indicator_page(plan, indicator, ManualIndicatorForm(obj=indicator, formdata=None), entry_form)


@bp.get("/indicators/<int:indicator_id>/entries/<int:entry_id>/evidence")
def evidence(plan_id, indicator_id, entry_id):
    """The evidence file, to the plan organisation's organisers only, as a download (it came from outside)."""
    plan = managed_plan(plan_id)
    entry = services.get_entry(plan.id, indicator_id, entry_id)
    path = services.evidence_path(entry)
    return send_upload(path.parent, path.name, download_name=f"minh-chung-{entry.entry_on:%Y%m%d}")


@bp.post("/indicators/<int:indicator_id>/entries/<int:entry_id>/delete")
def delete_entry(plan_id, indicator_id, entry_id):
    plan = managed_plan(plan_id)
    services.delete_entry(plan.id, indicator_id, entry_id)
    flash(_("Đã xoá số liệu."), "success")
    return redirect(url_for("plan_tasks.manual_indicator", plan_id=plan.id, indicator_id=indicator_id))


@bp.post("/indicators/<int:indicator_id>/delete")
def delete_manual_indicator(plan_id, indicator_id):
    plan = managed_plan(plan_id)
    services.delete_manual_indicator(plan.id, indicator_id)
    return _to_plan(plan, _("Đã xoá chỉ tiêu nhập tay."))
