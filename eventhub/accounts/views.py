"""Sign-in, the account pages, platform administration of organisations, and member management."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from .. import uploads
from ..errors import DomainError, ValidationFailed
from ..extensions import limiter
from ..forms import submit
from ..i18n import LANGUAGE_SESSION_KEY
from ..localities import PROVINCES
from ..mail.services import enqueue
from ..ratelimits import account_limit, signed_in_account, submitted_account
from . import services
from .forms import (
    ApiTokenForm,
    ForgotPasswordForm,
    LoginForm,
    LogoForm,
    MemberForm,
    MemberRoleForm,
    OrganisationForm,
    PasswordChangeForm,
    ResetPasswordForm,
)
from .services import ORGANISATION_ADMIN_ROLES

bp = Blueprint("accounts", __name__)


@bp.app_context_processor
def menu_rights():
    """What the menus may offer the signed-in person, so no link answers 403 for them (issue 17)."""
    def can_manage_events() -> bool:
        return current_user.is_authenticated and bool(
            services.organisations_where(current_user, services.EVENT_MANAGER_ROLES))
    return {"can_manage_events": can_manage_events}

PASSWORD_CHANGE_EXEMPT = {"accounts.change_password", "accounts.logout", "accounts.set_language", "static"}
FORGOT_SENT = _l("Nếu e-mail này có tài khoản đang hoạt động, chúng tôi đã gửi liên kết đặt lại mật khẩu "
                 "(hiệu lực 1 giờ, dùng một lần). Vui lòng kiểm tra hộp thư.")


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths are followed after sign-in, never another host."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.before_app_request
def insist_on_password_change():
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in PASSWORD_CHANGE_EXEMPT and not request.path.startswith("/api/")):
        flash(_("Vui lòng đổi mật khẩu ban đầu trước khi tiếp tục."), "warning")
        return redirect(url_for("accounts.change_password"))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=submitted_account("email"))
def login():
    if current_user.is_authenticated:
        return redirect(url_for("manage.dashboard"))
    form = LoginForm()
    try:
        user = submit(form, lambda f: services.authenticate(f.email.data, f.password.data))
    except DomainError as error:  # wrong credentials or a locked account: said above the form, never per field
        form.form_errors.append(str(error))
        user = None
    if user is not None:
        chosen = session.get(LANGUAGE_SESSION_KEY)
        session.clear()
        login_user(user, remember=form.remember.data)
        if chosen:  # a language chosen before signing in stays, and becomes the person's own
            session[LANGUAGE_SESSION_KEY] = chosen
            services.set_language(user.id, chosen)
        return redirect(safe_next(request.args.get("next"), url_for("manage.dashboard")))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout():
    chosen = session.get(LANGUAGE_SESSION_KEY)
    services.sign_out(current_user.id)  # the session and every remember-me cookie of the account end server-side
    logout_user()
    session.clear()
    if chosen:
        session[LANGUAGE_SESSION_KEY] = chosen
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("portal.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=submitted_account("email"))
def forgot_password():
    """The same answer whether or not the e-mail has an account: the page never tells who has one."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        issued = services.request_password_reset(form.email.data)
        if issued is not None:
            user, token = issued
            link = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}{url_for('accounts.reset_password')}#{token}"
            enqueue(user.email, _("Đặt lại mật khẩu EventHub"), render_template(
                "accounts/reset_mail.txt", user=user, link=link))
            from ..extensions import db

            db.session.commit()
        flash(str(FORGOT_SENT), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form), 200 if not form.errors else 422


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password():
    """The link's secret travels in the URL fragment (never sent to the server, so never in an access log); the
    page's script puts it into the form, which posts it."""
    form = ResetPasswordForm()
    token = request.form.get("token", "")
    if request.method == "POST":
        user = submit(form, lambda f: services.reset_password(token, f.new_password.data))
        if user is not None:
            flash(_("Đã đặt mật khẩu mới. Vui lòng đăng nhập."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form), 200 if not form.errors else 422


@bp.get("/language/<code>")
def set_language(code):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session[LANGUAGE_SESSION_KEY] = code
    if current_user.is_authenticated:  # the person's choice, on every device they sign in on
        services.set_language(current_user.id, code)
    return redirect(safe_next(request.args.get("next"), url_for("portal.index")))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=signed_in_account)
def change_password():
    form = PasswordChangeForm()
    user = submit(form, lambda f: services.change_password(current_user.id, f.current_password.data,
                                                           f.new_password.data))
    if user is not None:
        login_user(user)  # the session id carries the new version; other sessions end
        flash(_("Đã đổi mật khẩu."), "success")
        return redirect(url_for("manage.dashboard"))
    return render_template("accounts/password.html", form=form), 200 if not form.errors else 422


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    form = ApiTokenForm()
    new_token = None
    issued = submit(form, lambda f: services.issue_api_token(current_user.id, f.name.data, f.scope.data,
                                                             f.lifetime_days.data))
    if issued is not None:
        new_token, _record = issued
        form = ApiTokenForm(formdata=None)
    return render_template("accounts/tokens.html", form=form, new_token=new_token,
                           tokens=services.list_api_tokens(current_user.id))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id):
    services.revoke_api_token(current_user.id, token_id)
    flash(_("Đã thu hồi mã truy cập."), "info")
    return redirect(url_for("accounts.api_tokens"))


# Platform administration ---------------------------------------------------------------------

def require_platform_admin():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_platform_admin:
        abort(403)


@bp.get("/admin/organisations")
@login_required
def organisations():
    require_platform_admin()
    return render_template("admin/organisations.html", organisations=services.list_organisations())


@bp.route("/admin/organisations/new", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/admin/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id):
    require_platform_admin()
    organisation = services.get_organisation(organisation_id) if organisation_id else None
    form = OrganisationForm(obj=organisation).bind(organisation)
    saved = submit(form, lambda f: services.save_organisation(organisation_id, f.to_details()))
    if saved is not None:
        flash(_("Đã lưu đơn vị “%(name)s”.", name=saved.name), "success")
        return redirect(url_for("accounts.members", organisation_id=saved.id))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation,
                           provinces=PROVINCES), 200 if not form.errors else 422


@bp.post("/admin/users/<int:user_id>/active")
@login_required
def set_user_active(user_id):
    """A platform admin deactivates an account (sessions and tokens end at once) or reactivates it."""
    require_platform_admin()
    if user_id == current_user.id:
        abort(409)
    user = services.set_active(user_id, request.form.get("active") == "1")
    flash(_("Đã mở lại tài khoản %(email)s.", email=user.email) if user.is_active
          else _("Đã khoá tài khoản %(email)s.", email=user.email), "info")
    return redirect(safe_next(request.form.get("next"), url_for("accounts.organisations")))


# Members of one organisation ------------------------------------------------------------------

@bp.route("/manage/organisations/<int:organisation_id>/members", methods=["GET", "POST"])
@login_required
def members(organisation_id):
    services.require_role(current_user, organisation_id, ORGANISATION_ADMIN_ROLES)
    organisation = services.get_organisation(organisation_id)
    form = MemberForm()
    if submit(form, lambda f: services.add_member(organisation_id, f.to_details())) is not None:
        flash(_("Đã thêm %(email)s vào đơn vị.", email=form.email.data), "success")
        return redirect(url_for("accounts.members", organisation_id=organisation_id))
    return render_template("accounts/members.html", organisation=organisation, form=form,
                           role_form=MemberRoleForm(formdata=None), logo_form=LogoForm(formdata=None),
                           memberships=services.list_members(organisation_id)), 200 if not form.errors else 422


@bp.post("/manage/organisations/<int:organisation_id>/logo")
@login_required
def organisation_logo(organisation_id):
    """The organisation's admins upload (or remove) the logo its tickets and badges carry."""
    services.require_role(current_user, organisation_id, ORGANISATION_ADMIN_ROLES)
    form = LogoForm()
    remove = request.form.get("remove") == "1"
    if form.validate_on_submit():
        try:
            services.set_organisation_logo(organisation_id, None if remove else form.upload())
        except ValidationFailed as error:
            flash(error.explanation(), "error")
        else:
            flash(_("Đã xoá logo.") if remove else _("Đã lưu logo: nó sẽ có trên vé và thẻ đeo."), "success")
    return redirect(url_for("accounts.members", organisation_id=organisation_id))


@bp.get("/media/logos/<name>")
def logo_image(name):
    """Logos are public (they are printed on tickets); the names are random."""
    return send_from_directory(uploads.uploads_dir(services.LOGO_FOLDER), name, max_age=86400)


def _member_change(organisation_id: int, change, success_message: str):
    """Apply a change to a membership; a refused change is explained on the members page."""
    try:
        change()
        flash(success_message, "success")
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    return redirect(url_for("accounts.members", organisation_id=organisation_id))


@bp.post("/manage/organisations/<int:organisation_id>/members/<int:membership_id>/role")
@login_required
def change_member_role(organisation_id, membership_id):
    services.require_role(current_user, organisation_id, ORGANISATION_ADMIN_ROLES)
    form = MemberRoleForm()
    if not form.validate():
        raise ValidationFailed(form.errors)
    return _member_change(organisation_id,
                          lambda: services.change_member_role(organisation_id, membership_id, form.role.data),
                          _("Đã đổi vai trò."))


@bp.post("/manage/organisations/<int:organisation_id>/members/<int:membership_id>/remove")
@login_required
def remove_member(organisation_id, membership_id):
    services.require_role(current_user, organisation_id, ORGANISATION_ADMIN_ROLES)
    return _member_change(organisation_id, lambda: services.remove_member(organisation_id, membership_id),
                          _("Đã xoá thành viên khỏi đơn vị."))
