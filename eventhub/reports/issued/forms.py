from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ...accounts.models import User
from ...forms import REQUIRED, BaseForm, LocalDateField, choices, optional_id, strip
from ...i18n import format_date
from ...timeutil import to_local, utcnow
from ..forms import ReportScopeFields, report_scope
from ..periods import issuing_organisation_id
from . import services
from .models import IssuedReport
from .services import (
    MAX_NUMBER_LENGTH,
    MAX_SIGNER_NAME_LENGTH,
    MAX_SIGNER_TITLE_LENGTH,
    NUMBER_MESSAGE,
    NUMBER_PATTERN,
    IssueDetails,
    normalise_number,
)


class IssueFields:
    """The number, date and signer an issued report carries, and the report it corrects, if any."""

    number = StringField(_l("Số báo cáo"), filters=[normalise_number], validators=[
        DataRequired(REQUIRED), Length(max=MAX_NUMBER_LENGTH), Regexp(NUMBER_PATTERN, message=NUMBER_MESSAGE)],
        description="e.g. 57/BC-SKHCN; used once a year by the issuing organisation")
    issued_on = LocalDateField(_l("Ngày ban hành (dd/mm/yyyy)"), validators=[Optional()],
                               description="Default: today")
    signer_name = StringField(_l("Họ và tên người ký"), filters=[strip],
                              validators=[DataRequired(REQUIRED), Length(max=MAX_SIGNER_NAME_LENGTH)])
    signer_title = StringField(_l("Chức vụ người ký"), filters=[strip],
                               validators=[DataRequired(REQUIRED), Length(max=MAX_SIGNER_TITLE_LENGTH)],
                               description="e.g. Giám đốc, KT. Giám đốc - Phó Giám đốc")
    # Any id is accepted here: the service says whether the organisation issued such a report.
    replaces_id = SelectField(_l("Thay thế báo cáo đã ban hành"), coerce=optional_id, validate_choice=False,
                              validators=[Optional()], description="The issued report this one corrects")

    def bind_replaceable(self, issued: list[IssuedReport]) -> None:
        """The reports a correction may replace: those shown beside the form that nothing has replaced yet."""
        self.replaces_id.choices = choices([("", _l("Không, đây là báo cáo mới"))] + [
            (r.id, _l("Số %(number)s ngày %(day)s", number=r.number, day=format_date(r.issued_on)))
            for r in issued if r.replaced_by is None])

    def to_details(self) -> IssueDetails:
        return IssueDetails(number=self.number.data, signer_name=self.signer_name.data,
                            signer_title=self.signer_title.data, issued_on=self.issued_on.data,
                            replaces_id=self.replaces_id.data)


class IssueReportForm(ReportScopeFields, IssueFields, BaseForm):
    """Issue the period report of a scope: the report page's parameters, then the number and signer."""

    def bind(self, organisations=(), issued=()) -> "IssueReportForm":
        ReportScopeFields.bind(self, list(organisations))
        self.bind_replaceable(list(issued))
        return self


class IssueSnapshotForm(IssueFields, BaseForm):
    """Issue a stored snapshot: its own organisation and period, then the number and signer."""

    def bind(self, issued=()) -> "IssueSnapshotForm":
        self.bind_replaceable(list(issued))
        return self


def issue_for(user: User, form: IssueReportForm) -> IssuedReport:
    """Issue the report a valid IssueReportForm names, if the user may report on every organisation in it."""
    now = utcnow()
    organisation_ids, starts_on, ends_on = report_scope(user, form, to_local(now).date())
    return services.issue_period_report(organisation_ids, starts_on, ends_on, form.to_details(),
                                        issuer_id=issuing_organisation_id(user, organisation_ids),
                                        issued_by_id=user.id, now=now)
