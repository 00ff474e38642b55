"""Bulk import (CSV/XLSX with preview) and exports of the attendee list. The rules live in
`importer` and `exports`; every route first checks that the user manages the event."""
from flask import Blueprint, Response, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.file import FileField, FileRequired

from ..errors import DomainError
from ..events.services import get_managed_event
from ..extensions import db
from ..forms import BaseForm
from . import exports, importer, services
from .manage import attendee_filters
from .models import PersonalDataAction

CONFIRM_TIME_BUDGET = 20  # seconds of importing per request without JavaScript, under proxies' timeouts

bp = Blueprint("registrations_io", __name__, url_prefix="/manage/events/<int:event_id>/registrations")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


class UploadForm(BaseForm):
    file = FileField(_l("Tệp danh sách (CSV hoặc Excel .xlsx, tối đa 5 MB, tối đa 5.000 dòng)"),
                     validators=[FileRequired(_l("Vui lòng chọn tệp danh sách."))])


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, content_type=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


# Exports ---------------------------------------------------------------------------------------

def _logged_table(event, fmt: str):
    """The attendee table, with its export in the platform admins' personal-data log."""
    headers, rows = exports.attendee_table(event.id, **attendee_filters())
    services.log_personal_data(PersonalDataAction.EXPORT, event_id=event.id, user_id=current_user.id,
                               people=len(rows), detail=fmt)
    db.session.commit()
    return headers, rows


@bp.get("/export.csv")
def export_csv(event_id):
    event = get_managed_event(current_user, event_id)
    headers, rows = _logged_table(event, "csv")
    return _download(exports.to_csv(headers, rows), f"dang-ky-{event.slug}.csv", exports.CSV_MIMETYPE)


@bp.get("/export.xlsx")
def export_xlsx(event_id):
    event = get_managed_event(current_user, event_id)
    headers, rows = _logged_table(event, "xlsx")
    data = exports.to_xlsx(headers, rows, _("Người đăng ký"))
    return _download(data, f"dang-ky-{event.slug}.xlsx", exports.XLSX_MIMETYPE)


@bp.get("/import-template.<any(csv, xlsx):fmt>")
def import_template(event_id, fmt):
    event = get_managed_event(current_user, event_id)
    if fmt == "csv":
        return _download(exports.template_csv(event.id), f"mau-nhap-{event.slug}.csv", exports.CSV_MIMETYPE)
    return _download(exports.template_xlsx(event), f"mau-nhap-{event.slug}.xlsx", exports.XLSX_MIMETYPE)


# Import ----------------------------------------------------------------------------------------

@bp.route("/import", methods=["GET", "POST"])
def import_upload(event_id):
    event = get_managed_event(current_user, event_id)
    form = UploadForm()
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            parsed = importer.parse_upload(event, upload.filename, upload.stream.read(exports.MAX_BYTES + 1))
        except importer.ImportRefused as error:
            form.form_errors.append(error.explanation())
            status = error.status
        else:
            batch = importer.create_batch(event.id, current_user.id, upload.filename, parsed)
            if parsed.unknown_columns:
                flash(_("Các cột sau không có trong mẫu và được bỏ qua: %(names)s.",
                        names=", ".join(parsed.unknown_columns)), "warning")
            if parsed.ignored_examples:
                flash(_("Đã bỏ qua dòng ví dụ của tệp mẫu."), "warning")
            return redirect(url_for(".import_preview", event_id=event.id, batch_id=batch.id))
    elif form.errors:
        status = 422
    return render_template("registration/manage/import.html", event=event, form=form), status


@bp.get("/import/<int:batch_id>")
def import_preview(event_id, batch_id):
    event = get_managed_event(current_user, event_id)
    batch = importer.get_batch(event.id, batch_id)
    invalid = [row for row in batch.rows if row["errors"]]
    valid = importer.valid_rows(batch)
    return render_template("registration/manage/import_preview.html", event=event, batch=batch, invalid=invalid,
                           valid=valid, shown_valid=valid[:200], progress=importer.progress(batch),
                           summary=importer.summary_message(batch) if batch.finished_at else None)


@bp.post("/import/<int:batch_id>/step")
def import_step(event_id, batch_id):
    event = get_managed_event(current_user, event_id)
    batch = importer.get_batch(event.id, batch_id)
    was_done = batch.finished_at is not None
    result = importer.run_step(batch.id)
    if result["done"]:
        message = importer.summary_message(importer.get_batch(event.id, batch_id))
        if not was_done:
            flash(message, "success")  # shown on the attendee list the script opens next
    else:
        message = _("Đã xử lý %(processed)d/%(total)d dòng…", processed=result["processed"], total=result["total"])
    return jsonify(result | {"message": message,
                             "next": url_for("registrations.attendees", event_id=event.id)})


@bp.post("/import/<int:batch_id>/confirm")
def import_confirm(event_id, batch_id):
    event = get_managed_event(current_user, event_id)
    batch = importer.get_batch(event.id, batch_id)
    try:
        result = importer.run_all(batch.id, time_budget=CONFIRM_TIME_BUDGET)
    except DomainError as error:
        flash(error.explanation(), "error")
        return redirect(url_for(".import_preview", event_id=event.id, batch_id=batch.id))
    if not result["done"]:
        flash(_("Đã xử lý %(processed)d/%(total)d dòng. Bấm “Tiếp tục nhập” để xử lý phần còn lại.",
                processed=result["processed"], total=result["total"]), "warning")
        return redirect(url_for(".import_preview", event_id=event.id, batch_id=batch.id))
    flash(importer.summary_message(importer.get_batch(event.id, batch_id)), "success")
    return redirect(url_for("registrations.attendees", event_id=event.id))
