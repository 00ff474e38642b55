"""Downloads of a period report (XLSX, PDF, CSV): the report page's own query parameters, the format, and the
document header fields (issuing agency, number, place, date), which default to the issuing organisation's."""
from dataclasses import replace

from flask import Blueprint, Response, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import Length, Optional

from .. import document
from ..accounts.services import get_organisation
from ..errors import DomainError
from ..forms import BaseForm, LocalDateField, strip
from ..timeutil import to_local, utcnow
from . import exports
from .periods import issuing_organisation_id
from .views import query_url, read_report_request

bp = Blueprint("reports_exports", __name__, url_prefix="/manage/reports")
HEADER_FIELDS = ("agency", "number", "place", "issued_on")


class DocumentHeaderForm(BaseForm):
    """The top of the official document; an empty field keeps the organisation's default."""

    class Meta:
        csrf = False  # a GET form: it only shapes the file that is downloaded

    agency = StringField(_l("Cơ quan ban hành"), filters=[strip], validators=[Optional(), Length(max=200)])
    number = StringField(_l("Số văn bản"), filters=[strip], validators=[Optional(), Length(max=60)])
    place = StringField(_l("Địa danh"), filters=[strip], validators=[Optional(), Length(max=100)])
    issued_on = LocalDateField(_l("Ngày ban hành (dd/mm/yyyy)"), validators=[Optional()])

    def header(self, default: document.DocumentHeader) -> document.DocumentHeader:
        return replace(default, agency=self.agency.data or default.agency, number=self.number.data or default.number,
                       place=self.place.data or default.place, issued_on=self.issued_on.data or default.issued_on)


@bp.before_request
@login_required
def require_sign_in():
    """Each route then reads the report through the report page's checks (another organisation: 404)."""


def _default_header(organisation_ids) -> document.DocumentHeader:
    issuer = issuing_organisation_id(current_user, organisation_ids)
    return document.default_header(get_organisation(issuer), to_local(utcnow()).date())


def _report_query() -> dict:
    """The report page's parameters, without the format and header fields."""
    return {key: request.args.getlist(key) for key in request.args if key not in ("fmt", *HEADER_FIELDS)}


def _export_page(form, report, header_form, status=200):
    return render_template("reports/export_form.html", form=form, report=report, header_form=header_form,
                           query=_report_query(), formats=exports.FORMATS,
                           period=exports.period_name(report.starts_on, report.ends_on)), status


@bp.get("/export")
def export_form():
    """The header fields with their defaults, then one button per format."""
    form, report = read_report_request(request.args)
    if report is None:
        return redirect(query_url("reports.report", _report_query()))
    default = _default_header(form.organisation_ids.data)
    header_form = DocumentHeaderForm(formdata=None, data={"agency": default.agency, "number": default.number,
                                                          "place": default.place, "issued_on": default.issued_on})
    return _export_page(form, report, header_form)


@bp.get("/download")
def download():
    fmt = request.args.get("fmt", "")
    if fmt not in exports.FORMATS:
        raise DomainError("unknown_format", _l("Không có định dạng tải về “%(fmt)s”. Chọn xlsx, pdf hoặc csv."),
                          status=400, fmt=fmt)
    form, report = read_report_request(request.args)
    if report is None:  # the report page shows what is wrong with the period or the organisations
        return redirect(query_url("reports.report", _report_query()))
    header_form = DocumentHeaderForm(formdata=request.args)
    if not header_form.validate():
        return _export_page(form, report, header_form, 422)
    header = header_form.header(_default_header(form.organisation_ids.data))
    response = Response(exports.render(report, header, fmt), content_type=exports.MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.filename(report, fmt)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
