from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..events.models import Event
from ..forms import REQUIRED, BaseForm, choices, optional_id, strip
from ..registration import services as registrations
from ..registration.delegations import delegations_of
from ..registration.groups import participant_groups
from ..registration.models import RegistrationStatus
from ..scheduling import services as scheduling
from .services import Audience, MessageDetails

AUDIENCE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING)


def _checkboxes(label, **kwargs):
    return SelectMultipleField(label, choices=[], validate_choice=True, widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput(), **kwargs)


class AudienceForm(BaseForm):
    groups = _checkboxes(_l("Nhóm đối tượng (để trống: mọi nhóm)"))
    category_ids = _checkboxes(_l("Hạng mục đăng ký (để trống: mọi hạng mục)"), coerce=int)
    statuses = _checkboxes(_l("Trạng thái đăng ký"), default=[RegistrationStatus.CONFIRMED.value])
    checked_in = SelectField(_l("Check-in"), choices=choices([("", _l("Tất cả")), ("yes", _l("Đã check-in")),
                                                              ("no", _l("Chưa check-in"))]), default="")
    session_id = SelectField(_l("Phiên (người đã đăng ký phiên)"), coerce=optional_id, choices=[], default=None)
    delegation_ids = _checkboxes(_l("Đoàn (để trống: mọi đoàn và người đăng ký lẻ)"), coerce=int)

    def bind(self, event: Event, partner_id: int | None = None) -> "AudienceForm":
        """The event's choices; an accepted co-organiser (`partner_id`) is offered its own delegations only."""
        self.partner_id = partner_id
        self.delegation_ids.choices = choices((d.id, d.name) for d in delegations_of(event.id, partner_id))
        self.groups.choices = choices((g.code, g.label) for g in participant_groups())
        self.category_ids.choices = choices((c.id, c.name) for c in registrations.categories(event.id))
        self.statuses.choices = choices((s.value, s.label) for s in AUDIENCE_STATUSES)
        sessions = scheduling.sessions(event.id, include_cancelled=False)
        self.session_id.choices = choices([("", _l("Mọi phiên"))] + [(s.id, s.title) for s in sessions])
        return self

    def to_audience(self) -> Audience:
        return Audience(category_ids=list(self.category_ids.data or []), groups=list(self.groups.data or []),
                        statuses=[RegistrationStatus(v) for v in (self.statuses.data or [])]
                        or [RegistrationStatus.CONFIRMED],
                        checked_in={"yes": True, "no": False}.get(self.checked_in.data),
                        session_id=self.session_id.data, delegation_ids=list(self.delegation_ids.data or []),
                        partner_id=getattr(self, "partner_id", None))


class OrganiserMessageForm(AudienceForm):
    subject = StringField(_l("Tiêu đề"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=150)])
    body = TextAreaField(_l("Nội dung"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=1000)])

    def to_details(self) -> MessageDetails:
        return MessageDetails(subject=self.subject.data, body=self.body.data, audience=self.to_audience())
