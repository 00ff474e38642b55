"""Organiser pages for check-in lists and devices, and the scanner page."""
import base64
from urllib.parse import urlencode

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..events import coorganisers
from ..events.services import get_event, get_managed_event
from ..forms import submit
from ..params import id_arg
from ..registration import services as registrations
from ..registration import tickets
from ..timeutil import to_local, utcnow
from . import completion, paper, services
from .forms import CheckInListForm, CompletionDecisionForm, CompletionRuleForm, DeviceForm, PaperEntryForm

bp = Blueprint("checkin", __name__)
MANAGE = "/manage/events/<int:event_id>/checkin"
COMPLETION_PAGE_LIMIT = 500  # people listed on the completion page; a search finds the others


@bp.app_context_processor
def checkin_context():
    # session_check_in_lists: the agenda's session page lists them without the agenda importing check-in
    return {"scanner_events": services.events_to_scan, "session_check_in_lists": services.session_lists,
            "scanner_lists": _scanner_lists, "is_today": _is_today}


def _scanner_lists(event_id: int) -> list:
    services.entrance_for(event_id)  # created on demand, as the staff page does
    return services.lists_for_event(event_id)


def _is_today(event) -> bool:
    """Whether the event runs on today's local date (check-in staff land on these with the scanner button)."""
    today = to_local(utcnow()).date()
    return to_local(event.starts_at).date() <= today <= to_local(event.ends_at).date()


def _list_form(event, check_in_list=None, formdata=True) -> CheckInListForm:
    kwargs = {} if formdata else {"formdata": None}
    form = CheckInListForm(obj=check_in_list, **kwargs).bind(event)
    if check_in_list is not None and not formdata:
        form.category_ids.data = [c.id for c in check_in_list.categories]
    return form


def _event_list(event, list_id):
    check_in_list = services.get_list(list_id)
    if check_in_list.event_id != event.id:
        raise NotFound()
    return check_in_list


def _scanner_event(event_id):
    """The event, for anyone who may scan it: check-in staff, organisers and admins of its organisation or of an
    accepted co-organiser."""
    return coorganisers.get_partner_event(current_user, event_id, services.SCANNER_ROLES, services.SCANNER_ROLES)[0]


SCANNER_COOKIE, SCANNER_COOKIE_DAYS = "eh_scanner_", 30


def _scanner_url(token: str, list_id: int, external: bool = False) -> str:
    """The scanner's link: the token in the fragment (never sent to a server), the issuer's language in the query
    so the page, and through it the API's answers, speak it."""
    fragment = urlencode({"token": token, "list": list_id})
    path = url_for("checkin.scanner", lang=str(get_locale()))
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/") if external else ""
    return f"{base}{path}#{fragment}"


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


# Organiser pages ------------------------------------------------------------------------------

@bp.get(MANAGE)
@login_required
def lists(event_id):
    try:
        event = get_managed_event(current_user, event_id)
    except (PermissionDenied, NotFound):
        _scanner_event(event_id)  # check-in staff and co-organisers scan; others learn nothing
        return redirect(url_for("checkin.staff", event_id=event_id))
    services.entrance_for(event.id)
    check_in_lists = services.lists_for_event(event.id)
    return render_template("checkin/lists.html", event=event, lists=check_in_lists,
                           counts={c.id: services.checked_in_count(c.id) for c in check_in_lists})


@bp.get(f"{MANAGE}/scan")
@login_required
def staff(event_id):
    event = _scanner_event(event_id)
    services.entrance_for(event.id)
    return render_template("checkin/staff.html", event=event, lists=services.lists_for_event(event.id))


@bp.route(f"{MANAGE}/lists/new", methods=["GET", "POST"])
@login_required
def create_list(event_id):
    event = get_managed_event(current_user, event_id)
    form = _list_form(event, formdata=request.method == "POST")
    check_in_list = submit(form, lambda f: services.save_list(event.id, None, f.to_details()))
    if check_in_list is not None:
        flash(_("Đã tạo điểm check-in “%(name)s”.", name=check_in_list.name), "success")
        return redirect(url_for("checkin.list_detail", event_id=event.id, list_id=check_in_list.id))
    return render_template("checkin/list_form.html", event=event, form=form, check_in_list=None), \
        200 if not form.errors and not form.form_errors else 422


def _detail_page(event, check_in_list, *, form=None, device_form=None, new_link=None, status=200):
    response = make_response(render_template(
        "checkin/list_detail.html", event=event, check_in_list=check_in_list,
        form=form or _list_form(event, check_in_list, formdata=False),
        device_form=device_form or DeviceForm(formdata=None), devices=services.devices(check_in_list.id),
        new_link=new_link, count=services.checked_in_count(check_in_list.id)), status)
    return _no_store(response)


@bp.route(f"{MANAGE}/lists/<int:list_id>", methods=["GET", "POST"])
@login_required
def list_detail(event_id, list_id):
    event = get_managed_event(current_user, event_id)
    check_in_list = _event_list(event, list_id)
    if request.method == "GET":
        return _detail_page(event, check_in_list)
    form = _list_form(event, check_in_list)
    if submit(form, lambda f: services.save_list(event.id, check_in_list.id, f.to_details())) is not None:
        flash(_("Đã lưu điểm check-in."), "success")
        return redirect(url_for("checkin.list_detail", event_id=event.id, list_id=check_in_list.id))
    return _detail_page(event, check_in_list, form=form, status=422)


@bp.post(f"{MANAGE}/lists/<int:list_id>/devices")
@login_required
def create_device(event_id, list_id):
    event = get_managed_event(current_user, event_id)
    check_in_list = _event_list(event, list_id)
    form = DeviceForm()
    issued = submit(form, lambda f: services.issue_device(check_in_list.id, f.name.data, current_user.id,
                                                          str(get_locale()), offline_hours=f.offline_hours.data))
    if issued is None:
        return _detail_page(event, check_in_list, device_form=form, status=422)
    token, device = issued
    link = _scanner_url(token, check_in_list.id, external=True)
    # Not lru-cached: the link is a secret and is shown only this once.
    qr = base64.b64encode(tickets.qr_png.__wrapped__(link, 6)).decode("ascii")
    return _detail_page(event, check_in_list, new_link={"url": link, "qr": qr, "device": device})


@bp.post(f"{MANAGE}/lists/<int:list_id>/devices/<int:device_id>/revoke")
@login_required
def revoke_device(event_id, list_id, device_id):
    event = get_managed_event(current_user, event_id)
    check_in_list = _event_list(event, list_id)
    device = services.revoke_device(check_in_list.id, device_id)
    flash(_("Đã thu hồi thiết bị “%(name)s”: nó không quét được nữa.", name=device.name), "success")
    return redirect(url_for("checkin.list_detail", event_id=event.id, list_id=check_in_list.id))


@bp.post(f"{MANAGE}/lists/<int:list_id>/open-scanner")
@login_required
def open_scanner(event_id, list_id):
    event = get_event(event_id)
    check_in_list, partner_id = services.scanner_access(current_user, list_id)
    if check_in_list.event_id != event.id:
        raise NotFound()
    cookie = f"{SCANNER_COOKIE}{check_in_list.id}"
    token = request.cookies.get(cookie)
    if services.reusable_device(token, check_in_list.id, current_user.id, partner_id) is None:
        name = f"{current_user.full_name or current_user.email} · {_phone_kind(request.user_agent.string)}"
        token, _device = services.issue_device(check_in_list.id, name, current_user.id, str(get_locale()),
                                               organisation_id=partner_id)
    response = _no_store(redirect(_scanner_url(token, check_in_list.id)))
    # The phone keeps its device's token, readable only by this route: the next press reuses the device.
    response.set_cookie(cookie, token, max_age=SCANNER_COOKIE_DAYS * 86400, path=request.path, httponly=True,
                        samesite="Strict", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def _phone_kind(user_agent: str) -> str:
    """A plain name for the phone in the device list ("Android", "iPhone"), from its browser's User-Agent."""
    for marker, label in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
                          ("Macintosh", "Mac"), ("Linux", "Linux")):
        if marker in (user_agent or ""):
            return label
    return str(_l("Thiết bị"))


@bp.post("/manage/events/<int:event_id>/agenda/sessions/<int:session_id>/check-in-list")
@login_required
def session_check_in_list(event_id, session_id):
    """The attendance list of an agenda session, asked for from the session's page."""
    event = get_managed_event(current_user, event_id)
    check_in_list = services.session_list(event.id, session_id)
    return redirect(url_for("checkin.list_detail", event_id=event.id, list_id=check_in_list.id))


# Completion -----------------------------------------------------------------------------------

def _completion_page(event, *, rule_form=None, decision_form=None, decision_for=None, status=200):
    rule = completion.rule_of(event)
    if rule_form is None:
        rule_form = CompletionRuleForm(formdata=None).bind(event)
        rule_form.kind.data, rule_form.min_percent.data = (rule.kind, rule.min_percent) if rule else (None, None)
    q = (request.args.get("q") or "").strip()[:100] or None
    response = make_response(render_template(
        "checkin/completion.html", event=event, rule=rule, rule_form=rule_form,
        summary=completion.summary(event.id), q=q or "",
        participants=completion.participants(event.id, q, COMPLETION_PAGE_LIMIT) if rule else [],
        participant_limit=COMPLETION_PAGE_LIMIT,
        decision_form=decision_form or CompletionDecisionForm(formdata=None), decision_for=decision_for,
        log=completion.log_of(event.id, 50) if rule else []), status)
    return _no_store(response)


@bp.get("/manage/events/<int:event_id>/completion")
@login_required
def completion_page(event_id):
    return _completion_page(get_managed_event(current_user, event_id))


@bp.post("/manage/events/<int:event_id>/completion/rule")
@login_required
def completion_rule(event_id):
    event = get_managed_event(current_user, event_id)
    form = CompletionRuleForm().bind(event)
    saved = submit(form, lambda f: completion.set_rule(event.id, f.to_details(), user_id=current_user.id))
    if saved is None:
        return _completion_page(event, rule_form=form, status=422)
    flash(_("Đã lưu điều kiện hoàn thành."), "success")
    return redirect(url_for("checkin.completion_page", event_id=event.id))


@bp.post("/manage/events/<int:event_id>/completion/<int:registration_id>")
@login_required
def completion_decision(event_id, registration_id):
    event = get_managed_event(current_user, event_id)
    registration = registrations.get_registration(registration_id, event.id)
    form = CompletionDecisionForm()
    entry = submit(form, lambda f: completion.decide(event.id, registration.id, f.to_decision(),
                                                     user_id=current_user.id))
    if entry is None:
        return _completion_page(event, decision_form=form, decision_for=registration.id, status=422)
    flash(_("Đã ghi nhận quyết định cho %(name)s.", name=registration.full_name), "success")
    return redirect(url_for("checkin.completion_page", event_id=event.id))


# The scanner ----------------------------------------------------------------------------------

# What static/js/scanner/ shows, in the page's language; "%(name)s" placeholders are filled in by the script.
SCANNER_TEXTS = {
    "online": _l("Trực tuyến"),
    "offline": _l("Ngoại tuyến"),
    "offlineMark": _l("Ngoại tuyến — sẽ đồng bộ khi có mạng"),
    "queued": _l("Chờ đồng bộ: %(count)s"),
    "synced": _l("Đã đồng bộ %(count)s lượt quét."),
    "ok": _l("Hợp lệ"),
    "exitOk": _l("Đã ghi nhận ra"),
    "undone": _l("Đã huỷ check-in"),
    "already": _l("Đã check-in trước đó"),
    "alreadyLocal": _l("Vé này đã được check-in (theo dữ liệu trên máy)."),
    "forged": _l("Vé giả hoặc bị sửa"),
    "notTicket": _l("Không phải mã vé"),
    "notAdmissible": _l("Vé không có trong danh sách được vào"),
    "noOfflineData": _l("Không có mạng và chưa có dữ liệu ngoại tuyến"),
    "noQrInPhoto": _l("Không đọc được mã QR trong ảnh"),
    "tryAgain": _l("Hãy chụp lại gần hơn, đủ sáng và không bị nhoè."),
    "revoked": _l("Thiết bị đã bị thu hồi hoặc đường dẫn không còn hiệu lực"),
    "revokedHelp": _l("Hãy xin ban tổ chức một đường dẫn mới cho thiết bị này."),
    "serverError": _l("Lỗi máy chủ, vui lòng thử lại"),
    "cameraOn": _l("Bật camera"),
    "cameraOff": _l("Tắt camera"),
    "cameraDenied": _l("Không mở được camera"),
    "cameraHelp": _l("Hãy cho phép dùng camera, hoặc bấm “Chụp ảnh mã QR”."),
    "undo": _l("Hoàn tác: %(name)s"),
    "undoNeedsNetwork": _l("Cần kết nối mạng để hoàn tác"),
    "checkIn": _l("Check-in"),
    "checkedInAt": _l("Đã vào lúc %(time)s"),
    "noResults": _l("Không tìm thấy ai."),
    "searchOffline": _l("Đang ngoại tuyến: chỉ tìm theo tên trong dữ liệu đã lưu."),
    "offlineInfo": _l("Dữ liệu ngoại tuyến: %(count)s vé, cập nhật lúc %(time)s."),
    "noOfflineInfo": _l("Chưa tải được dữ liệu ngoại tuyến."),
    "conflict": _l("%(name)s: %(message)s"),
    "unknownPerson": _l("Không rõ"),
    "walkInNeedsNetwork": _l("Cần kết nối mạng để đăng ký khách mới"),
    "required": _l("Vui lòng nhập họ và tên."),
    "phoneEnd": _l("SĐT …%(digits)s"),
    # Offline walk-ins (walkins.js, walkin_page.js)
    "walkInProvisional": _l("Vé tạm %(code)s cho %(name)s: đã ghi trên máy, sẽ đăng ký khi có mạng."),
    "walkInPending": _l("%(count)s khách đến trực tiếp chờ đồng bộ."),
    "walkInMerged": _l("%(name)s: số điện thoại đã đăng ký trước, đã check-in theo đăng ký đó."),
    "walkInOverflow": _l("%(name)s: sự kiện đã hết chỗ, đã vào danh sách chờ và báo cho ban tổ chức."),
    "walkInRegistered": _l("%(name)s: đã đăng ký và check-in."),
    "walkInProblem": _l("%(name)s: chưa đăng ký được (%(message)s)."),
}


@bp.get("/scanner")
def scanner():
    """A public shell: the device token travels in the URL fragment, which the server never sees."""
    texts = {key: str(text) for key, text in SCANNER_TEXTS.items()}
    return render_template("checkin/scanner.html", scanner_texts=texts)


@bp.get("/scanner-sw.js")
def scanner_service_worker():
    response = send_from_directory(current_app.static_folder, "js/scanner-sw.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Service-Worker-Allowed"] = url_for("checkin.scanner")
    response.headers["Cache-Control"] = "no-cache"
    return response


# Paper -------------------------------------------------------------------------------------------

@bp.route(f"{MANAGE}/lists/<int:list_id>/paper", methods=["GET", "POST"])
@login_required
def paper_entry(event_id, list_id):
    """After the event: who signed the paper sheet, ticked on the sheet's own grid or typed as order numbers."""
    event = get_managed_event(current_user, event_id)
    check_in_list = _event_list(event, list_id)
    scope = paper.SheetScope(check_in_list.id, category_id=id_arg(request.args, "category_id"),
                             delegation_id=id_arg(request.args, "delegation_id"))
    people = paper.sheet_people(scope)
    form = PaperEntryForm()
    status = 200
    if form.validate_on_submit():
        try:
            numbers = paper.parse_ranges(form.ranges.data, len(people)) if form.ranges.data else None
            entry = paper.enter_from_paper(scope, numbers=numbers, registration_ids=form.registration_ids.data,
                                           user_id=current_user.id)
        except ValidationFailed as error:
            form.apply_errors(error)
            status = 422
        else:
            flash(_("Đã nhập %(n)d người từ danh sách ký (%(already)d người đã check-in trước đó).",
                    n=len(entry.added), already=entry.already), "success")
            return redirect(request.full_path)
    elif form.errors:
        status = 422
    present = services.checked_in_ids(check_in_list.id)
    return _no_store(make_response(render_template(
        "checkin/paper.html", event=event, check_in_list=check_in_list, people=people, present=present, form=form,
        scope=scope, from_paper=paper.paper_counts(event.id).get(check_in_list.id, 0)), status))
