"""Report pages: yearly plans and targets, event tags, supported projects, the "Báo cáo" period report and the
snapshots. Each route checks the organisation (another organisation gets 404) and calls one service."""
from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..accounts.services import EVENT_MANAGER_ROLES, get_organisation, organisations_where, require_role
from ..errors import NotFound, ValidationFailed
from ..events.services import get_managed_event
from ..forms import submit
from ..params import id_arg
from ..timeutil import to_local, utcnow
from . import exports, periods, plans, snapshots
from .figures import period_figures
from .forms import PlanForm, ReportForm, SupportedForm, TagsForm, TargetForm, report_for
from .issued import services as issued
from .issued.forms import IssueReportForm, IssueSnapshotForm
from .models import Plan, PlanTarget

bp = Blueprint("reports", __name__, url_prefix="/manage")
bp.add_app_template_global(exports.report_sections, "report_sections")


@bp.app_template_global()
def query_url(endpoint: str, query: dict[str, list[str]], **first) -> str:
    """The page's address with a report query, the `first` values replacing the query's own. Built outside
    url_for, whose own arguments (`endpoint`, `_external`, `_scheme`…) a query key may be named like."""
    pairs = list(first.items()) + [(key, value) for key, values in query.items() if key not in first
                                   for value in values]
    return url_for(endpoint) + ("?" + urlencode(pairs) if pairs else "")


@bp.before_request
@login_required
def require_sign_in():
    """Every report page needs a signed-in user; each route then checks the organisation."""


def _managed_plan(plan_id: int) -> Plan:
    plan = plans.get_plan(plan_id)
    require_role(current_user, plan.organisation_id, EVENT_MANAGER_ROLES)
    return plan


# Plans and targets --------------------------------------------------------------------------------

@bp.route("/organisations/<int:organisation_id>/plans", methods=["GET", "POST"])
def plan_list(organisation_id):
    require_role(current_user, organisation_id, EVENT_MANAGER_ROLES)
    form = PlanForm(data={"year": to_local(utcnow()).year} if request.method == "GET" else None)
    plan = submit(form, lambda f: plans.save_plan(organisation_id, None, f.to_details()))
    if plan is not None:
        flash(_("Đã tạo kế hoạch năm %(year)d.", year=plan.year), "success")
        return redirect(url_for("reports.plan_detail", plan_id=plan.id))
    return render_template("reports/plan_list.html", organisation=get_organisation(organisation_id),
                           plans=plans.list_plans(organisation_id), form=form), 200 if not form.errors else 422


def _target_form(target: PlanTarget | None = None) -> TargetForm:
    """Filled from the target when shown; a submitted form holds exactly what was sent (blank means default)."""
    current_group = target.participant_group if target is not None else None
    if target is None or request.method != "GET":
        return TargetForm().bind(current_group)
    form = TargetForm(obj=target).bind(current_group)
    form.tags.data = ", ".join(target.tags)
    return form


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
def plan_detail(plan_id):
    """The plan's details and targets; the form on this page adds a target."""
    plan = _managed_plan(plan_id)
    plan_form = PlanForm(obj=plan, formdata=None)
    form = _target_form()
    if submit(form, lambda f: plans.save_target(plan.id, None, f.to_details())) is not None:
        flash(_("Đã thêm chỉ tiêu."), "success")
        return redirect(url_for("reports.plan_detail", plan_id=plan.id))
    return render_template("reports/plan_detail.html", plan=plan, plan_form=plan_form, form=form,
                           known_tags=plans.known_tags(plan.organisation_id)), 200 if not form.errors else 422


@bp.post("/plans/<int:plan_id>/edit")
def edit_plan(plan_id):
    plan = _managed_plan(plan_id)
    form = PlanForm()
    if submit(form, lambda f: plans.save_plan(plan.organisation_id, plan.id, f.to_details())) is not None:
        flash(_("Đã lưu kế hoạch."), "success")
        return redirect(url_for("reports.plan_detail", plan_id=plan.id))
    return render_template("reports/plan_detail.html", plan=plan, plan_form=form, form=_target_form(),
                           known_tags=plans.known_tags(plan.organisation_id)), 422


@bp.post("/plans/<int:plan_id>/delete")
def delete_plan(plan_id):
    plan = _managed_plan(plan_id)
    organisation_id = plan.organisation_id
    plans.delete_plan(plan.id)
    flash(_("Đã xoá kế hoạch."), "success")
    return redirect(url_for("reports.plan_list", organisation_id=organisation_id))


@bp.route("/plans/<int:plan_id>/targets/<int:target_id>", methods=["GET", "POST"])
def edit_target(plan_id, target_id):
    plan = _managed_plan(plan_id)
    target = plans.get_target(plan.id, target_id)
    form = _target_form(target)
    if submit(form, lambda f: plans.save_target(plan.id, target.id, f.to_details())) is not None:
        flash(_("Đã lưu chỉ tiêu."), "success")
        return redirect(url_for("reports.plan_detail", plan_id=plan.id))
    return render_template("reports/plan_target.html", plan=plan, target=target, form=form,
                           known_tags=plans.known_tags(plan.organisation_id)), 200 if not form.errors else 422


@bp.post("/plans/<int:plan_id>/targets/<int:target_id>/delete")
def delete_target(plan_id, target_id):
    plan = _managed_plan(plan_id)
    plans.delete_target(plan.id, target_id)
    flash(_("Đã xoá chỉ tiêu."), "success")
    return redirect(url_for("reports.plan_detail", plan_id=plan.id))


# Event tags and supported projects ------------------------------------------------------------------

@bp.route("/events/<int:event_id>/tags", methods=["GET", "POST"])
def event_tags(event_id):
    event = get_managed_event(current_user, event_id)
    form = TagsForm(data={"tags": ", ".join(plans.tags_of(event.id))} if request.method == "GET" else None)
    if submit(form, lambda f: plans.set_event_tags(event.id, f.to_tags())) is not None:
        flash(_("Đã lưu thẻ của sự kiện."), "success")
        return redirect(url_for("reports.event_tags", event_id=event.id))
    return render_template("reports/plan_event_tags.html", event=event, form=form,
                           known_tags=plans.known_tags(event.organisation_id)), 200 if not form.errors else 422


@bp.route("/organisations/<int:organisation_id>/supported", methods=["GET", "POST"])
def supported_projects(organisation_id):
    require_role(current_user, organisation_id, EVENT_MANAGER_ROLES)
    form = SupportedForm().bind(organisation_id)
    if submit(form, lambda f: plans.mark_supported(organisation_id, f.to_details(),
                                                   created_by_id=current_user.id)) is not None:
        flash(_("Đã ghi nhận dự án được hỗ trợ."), "success")
        return redirect(url_for("reports.supported_projects", organisation_id=organisation_id))
    return render_template("reports/plan_supported.html", organisation=get_organisation(organisation_id),
                           projects=plans.list_supported(organisation_id), form=form), \
        200 if not form.errors else 422


@bp.post("/organisations/<int:organisation_id>/supported/<int:project_id>/delete")
def remove_supported_project(organisation_id, project_id):
    require_role(current_user, organisation_id, EVENT_MANAGER_ROLES)
    plans.remove_supported(organisation_id, project_id)
    flash(_("Đã xoá."), "success")
    return redirect(url_for("reports.supported_projects", organisation_id=organisation_id))


# The period report --------------------------------------------------------------------------------

def read_report_request(args: MultiDict) -> tuple[ReportForm, periods.PeriodReport | None]:
    """The report form filled from the query string and, once it names a period, the report. The report page
    and the export downloads both read their parameters with it."""
    organisations = periods.reportable_organisations(current_user)
    form = ReportForm(formdata=args).bind(organisations)
    if not organisations:
        raise NotFound()
    if "organisation_ids" not in args:
        form.organisation_ids.data = periods.default_organisation_ids(current_user)
    if "period" not in args or not form.validate():
        return form, None
    try:
        return form, report_for(current_user, form, to_local(utcnow()).date())
    except ValidationFailed as error:
        form.apply_errors(error)
        return form, None


@bp.get("/reports")
def report():
    return render_report_page(request.args)


def render_report_page(args: MultiDict, issue_form: IssueReportForm | None = None):
    """The report page for a query; below the report, the reports issued for its scope and the form that issues
    one (`issue_form` when it was sent with errors, else a fresh one dated today), which sends the scope along."""
    form, report = read_report_request(args)
    query = {key: args.getlist(key) for key in args}
    issued_here, scope = [], {}
    if report is not None:
        scope = {**query, "organisation_ids": [str(i) for i in form.organisation_ids.data]}  # defaults included
        issued_here = issued.list_issued(current_user, organisation_ids=form.organisation_ids.data,
                                         starts_on=report.starts_on, ends_on=report.ends_on)
        issue_form = issue_form or IssueReportForm(formdata=None, data={
            "issued_on": to_local(utcnow()).date(), "replaces_id": id_arg(args, "replaces_id")})
        issue_form.bind(issued=issued_here)
    failed = form.errors or (issue_form is not None and issue_form.errors)
    return render_template("reports/report_page.html", form=form, report=report, query=query,
                           figures=period_figures(report) if report else {}, export_formats=exports.FORMATS,
                           own_organisations=organisations_where(current_user, EVENT_MANAGER_ROLES),
                           issue_form=issue_form, issue_scope=scope, issued=issued_here), 422 if failed else 200


@bp.get("/reports/snapshots")
def snapshot_list():
    return render_template("reports/report_snapshots.html", snapshots=snapshots.list_snapshots(current_user))


@bp.get("/reports/snapshots/<int:snapshot_id>")
def snapshot_detail(snapshot_id):
    return render_snapshot_page(snapshot_id)


def render_snapshot_page(snapshot_id: int, issue_form: IssueSnapshotForm | None = None):
    """A snapshot, the reports issued for its organisation and period, and the form that issues it."""
    snapshot, report = snapshots.get_snapshot(current_user, snapshot_id)
    issued_here = issued.list_issued(current_user, organisation_ids=[snapshot.organisation_id],
                                     starts_on=snapshot.starts_on, ends_on=snapshot.ends_on)
    issue_form = issue_form or IssueSnapshotForm(formdata=None, data={
        "issued_on": to_local(utcnow()).date(), "replaces_id": id_arg(request.args, "replaces_id")})
    issue_form.bind(issued=issued_here)
    return render_template("reports/report_snapshot.html", snapshot=snapshot, report=report,
                           figures=period_figures(report), issue_form=issue_form, issued=issued_here), \
        422 if issue_form.errors else 200
