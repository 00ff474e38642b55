"""The exhibitor portal: sign-up, applications with products and documents, the booth on the map with the
setup instructions, self-booking, and staff badges."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ...errors import DomainError, NotFound, ValidationFailed
from ...events.models import Event
from ...extensions import db, limiter
from ...forms import submit
from ...i18n import format_time
from ...localities import PROVINCES
from ...ratelimits import account_limit, submitted_account
from ...text import render_markdown
from ...uploads import send_upload, uploads_dir
from ..allocation.notices import booth_reason
from ..floorplan import services as floorplan
from ..floorplan.models import BookingMode
from ..floorplan.svg import render_plan_svg
from ..selfbooking import services as selfbooking
from ..selfbooking.forms import PickForm
from . import badges, documents, services
from .forms import ApplicationForm, BadgeForm, DocumentForm, ExhibitorSignUpForm
from .models import ApplicationStatus

bp = Blueprint("exhibitors", __name__, url_prefix="/exhibitors")
PUBLIC_ENDPOINTS = {"exhibitors.sign_up", "exhibitors.product_photo"}


@bp.before_app_request
def keep_exhibitors_out_of_staff_pages():
    """Exhibitor accounts sign in on the common login page, whose landing page (the organiser dashboard)
    sends them to their portal; every other staff page refuses them."""
    if not request.path.startswith("/manage") or not services.is_exhibitor_account(current_user):
        return None
    if request.endpoint == "manage.dashboard":
        return redirect(url_for("exhibitors.home"))
    abort(403)


@bp.before_request
def require_exhibitor_account():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def _exhibitor():
    return services.require_exhibitor(current_user)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=submitted_account("email"))
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("exhibitors.home"))
    form = ExhibitorSignUpForm()
    exhibitor = submit(form, lambda f: services.sign_up(f.to_details(), f.password.data))
    if exhibitor is not None:
        session.clear()
        login_user(exhibitor.user)
        flash(_("Đã tạo tài khoản đơn vị trưng bày “%(name)s”.", name=exhibitor.name), "success")
        return redirect(url_for("exhibitors.home"))
    return render_template("booths/exhibitor_signup.html", form=form, provinces=PROVINCES), \
        200 if not form.errors else 422


@bp.get("/")
def home():
    exhibitor = _exhibitor()
    mine = services.list_for_exhibitor(exhibitor.id)
    applied = {a.event_id for a in mine if a.status != ApplicationStatus.WITHDRAWN}
    return render_template("booths/exhibitor_home.html", exhibitor=exhibitor, applications=mine,
                           booth_codes=services.booth_codes_of(exhibitor.id),
                           fairs=[e for e in services.open_fairs() if e.id not in applied])


# Applying and editing -----------------------------------------------------------------------------

def _application_form(event: Event, exhibitor_id: int, application=None) -> ApplicationForm:
    form = ApplicationForm(obj=application) if application and request.method == "GET" else ApplicationForm()
    form.bind(event, exhibitor_id)
    if application is not None and request.method == "GET":
        form.booth_type.data = application.booth_type.value
        form.preferred_zone_id.data = str(application.preferred_zone_id or "")
        form.startup_stage.data = application.startup_stage.value if application.startup_stage else ""
        while len(form.products) > 0:
            form.products.pop_entry()
        for product in application.products:
            form.products.append_entry()
            entry = form.products[-1].form
            entry.product_id.data = str(product.id)
            entry.name.data, entry.description.data = product.name, product.description
            entry.product_group.data = product.product_group.value
            entry.ocop_stars.data = str(product.ocop_stars or "")
            entry.ocop_certificate_no.data = product.ocop_certificate_no
            entry.ocop_certificate_year.data = product.ocop_certificate_year
        while len(form.products) < max(3, len(application.products) + 1):
            form.products.append_entry()
    return form


def _save_application(event: Event, form: ApplicationForm, save, template_args: dict):
    try:
        application = submit(form, lambda f: save(f.to_details()))
    except DomainError as error:  # a rule about the whole application (the fair closed, edited meanwhile)
        if error.status == 404:
            raise
        form.form_errors.append(error.explanation())
        application = None
    if application is not None:
        flash(_("Đã lưu hồ sơ đăng ký gian hàng."), "success")
        return redirect(url_for("exhibitors.application", application_id=application.id))
    return render_template("booths/exhibitor_apply.html", form=form, event=event, **template_args), \
        200 if not form.errors and not form.form_errors else 422


@bp.route("/events/<int:event_id>/apply", methods=["GET", "POST"])
def apply(event_id):
    exhibitor = _exhibitor()
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    problem = services.fair_problem(event)
    if problem:
        flash(problem, "warning")
        return redirect(url_for("exhibitors.home"))
    form = _application_form(event, exhibitor.id)
    return _save_application(event, form, lambda details: services.apply(event.id, exhibitor.id, details),
                             {"application": None})


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
def edit(application_id):
    exhibitor = _exhibitor()
    application = services.get_application(application_id, exhibitor_id=exhibitor.id)
    form = _application_form(application.event, exhibitor.id, application)
    return _save_application(
        application.event, form,
        lambda details: services.update_application(application.id, exhibitor.id, details),
        {"application": application})


@bp.post("/applications/<int:application_id>/withdraw")
def withdraw(application_id):
    exhibitor = _exhibitor()
    try:
        services.withdraw(application_id, exhibitor.id, actor_user_id=current_user.id)
        flash(_("Đã rút hồ sơ."), "success")
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    return redirect(url_for("exhibitors.application", application_id=application_id))


# One application: status, booth, map, documents, badges ----------------------------------------------

def _pick_form(plan, application) -> PickForm:
    form = PickForm(formdata=None) if request.method == "GET" else PickForm()
    return form.bind(plan, application)


def _application_page(application, *, document_form=None, pick_form=None, badge_form=None, status=200):
    plan = floorplan.get_plan(application.event_id)
    selection = selfbooking.selection_of(application)
    # Other exhibitors' booths and holds show as taken, never by whom.
    occupants = {booth_id: occupant if occupant.application_id == application.id else
                 floorplan.Occupant(None, "", occupant.held)
                 for booth_id, occupant in floorplan.occupants(plan.id).items()}
    own = frozenset(booth_id for booth_id, occupant in occupants.items()
                    if occupant.application_id == application.id)
    can_pick = selfbooking.booking_problem(plan, application) is None and not (selection and selection.confirmed)
    booth_list = floorplan.booths(plan.id)
    return render_template(
        "booths/exhibitor_application.html", application=application, event=application.event, plan=plan,
        selection=selection, can_pick=can_pick, self_booking=plan.booking_mode == BookingMode.SELF_BOOKING,
        booth_reason=booth_reason(application, [a for a in application.assignments if a.held_until is None])
        if selection and selection.confirmed else "",
        map_svg=render_plan_svg(plan, booth_list, floorplan.zones(plan.id), occupants=occupants, highlight=own,
                                css_class="floorplan floorplan--pick"),
        instructions=render_markdown(plan.setup_instructions_md),
        document_form=document_form or DocumentForm(formdata=None),
        pick_form=pick_form or (_pick_form(plan, application) if can_pick else None),
        badge_form=badge_form or BadgeForm(formdata=None),
    ), status


@bp.get("/applications/<int:application_id>")
def application(application_id):
    exhibitor = _exhibitor()
    return _application_page(services.get_application(application_id, exhibitor_id=exhibitor.id))


@bp.post("/applications/<int:application_id>/documents")
def upload_document(application_id):
    exhibitor = _exhibitor()
    application = services.get_application(application_id, exhibitor_id=exhibitor.id)
    form = DocumentForm()
    if form.validate():
        try:
            documents.add_document(application.id, exhibitor.id, form.document_type.data, form.file.data.filename,
                                  form.file.data.read())
        except ValidationFailed as error:
            form.file.errors = list(form.file.errors) + [error.explanation()]
        except DomainError as error:
            if error.status == 404:
                raise
            form.form_errors.append(error.explanation())
        else:
            flash(_("Đã tải lên tài liệu."), "success")
            return redirect(url_for("exhibitors.application", application_id=application.id))
    return _application_page(application, document_form=form, status=422)


@bp.post("/applications/<int:application_id>/documents/<int:document_id>/delete")
def delete_document(application_id, document_id):
    exhibitor = _exhibitor()
    try:
        documents.delete_document(application_id, exhibitor.id, document_id)
        flash(_("Đã xoá tài liệu."), "success")
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    return redirect(url_for("exhibitors.application", application_id=application_id))


def send_document(document) -> Response:
    """A stored document, as a download (never rendered inline: it came from outside)."""
    return send_upload(uploads_dir("booth-documents"), document.stored_name, download_name=document.original_name)


@bp.get("/applications/<int:application_id>/documents/<int:document_id>")
def document(application_id, document_id):
    exhibitor = _exhibitor()
    application = services.get_application(application_id, exhibitor_id=exhibitor.id)
    return send_document(documents.get_document(application.id, document_id))


@bp.get("/media/products/<name>")
def product_photo(name):
    return send_upload(uploads_dir("booth-products"), name, max_age=86400)


@bp.post("/applications/<int:application_id>/booths/<any(hold, confirm, cancel):action>")
def book(application_id, action):
    exhibitor = _exhibitor()
    application = services.get_application(application_id, exhibitor_id=exhibitor.id)
    plan = floorplan.require_plan(application.event_id)
    try:
        if action == "hold":
            form = _pick_form(plan, application)
            held = submit(form, lambda f: selfbooking.hold(application.id, exhibitor.id, f.booth_ids.data,
                                                           actor_user_id=current_user.id))
            if held is None:
                return _application_page(application, pick_form=form, status=422)
            flash(_("Đang giữ gian %(codes)s đến %(time)s. Hãy xác nhận trước khi hết giờ.",
                    codes=", ".join(held.booth_codes), time=format_time(held.held_until)),
                  "success")
        elif action == "confirm":
            confirmed = selfbooking.confirm(application.id, exhibitor.id, actor_user_id=current_user.id)
            flash(_("Đã xác nhận gian hàng %(codes)s.", codes=", ".join(confirmed.booth_codes)), "success")
        else:
            selfbooking.cancel_hold(application.id, exhibitor.id, actor_user_id=current_user.id)
            flash(_("Đã trả lại gian hàng đang giữ."), "info")
    except DomainError as error:
        if error.status == 404 and error.code == "not_found":
            raise
        flash(error.explanation(), "error")
    return redirect(url_for("exhibitors.application", application_id=application.id))


@bp.post("/applications/<int:application_id>/badges.pdf")
def staff_badges(application_id):
    exhibitor = _exhibitor()
    application = services.get_application(application_id, exhibitor_id=exhibitor.id)
    form = BadgeForm()
    try:
        pdf = submit(form, lambda f: badges.staff_badges_pdf(application, f.names.data.splitlines()))
    except DomainError as error:
        flash(error.explanation(), "error")
        return redirect(url_for("exhibitors.application", application_id=application.id))
    if pdf is None:
        return _application_page(application, badge_form=form, status=422)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="the-gian-hang-{application.id}.pdf"'
    return response
