"""Check-in forms: lists and devices for the organiser's pages, and the scans a scanner sends to the API."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..events.models import Event, EventType
from ..forms import REQUIRED, BaseForm, LocalDateTimeField, choices, optional_enum, strip
from ..params import MAX_DB_ID
from ..registration import services as registrations
from ..registration.forms import RegistrationForm
from ..registration.models import Gender
from .completion import MAX_REASON_LENGTH, Decision, RuleDetails
from .models import CheckInList, CompletionRuleKind, Direction
from .services import CODE_MAX_LENGTH, GATE_MAX_LENGTH, NONCE_MAX_LENGTH, CheckInListDetails


class CheckInListForm(BaseForm):
    name = StringField(_l("Tên điểm check-in"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=120)])
    opens_at = LocalDateTimeField(_l("Mở lúc"), validators=[Optional()])
    closes_at = LocalDateTimeField(_l("Đóng lúc"), validators=[Optional()])
    allow_exit = BooleanField(_l("Cho phép quét ra (người tham dự có thể ra vào nhiều lần)"))
    category_ids = SelectMultipleField(_l("Đối tượng được vào (để trống: mọi đối tượng)"), coerce=int, choices=[],
                                       validate_choice=True, widget=ListWidget(prefix_label=False),
                                       option_widget=CheckboxInput())

    def bind(self, event: Event) -> "CheckInListForm":
        self.category_ids.choices = choices((c.id, c.name) for c in registrations.categories(event.id))
        return self

    def to_details(self) -> CheckInListDetails:
        return CheckInListDetails(name=self.name.data, opens_at=self.opens_at.data, closes_at=self.closes_at.data,
                                  allow_exit=bool(self.allow_exit.data),
                                  category_ids=list(self.category_ids.data or []))


class DeviceForm(BaseForm):
    name = StringField(_l("Tên thiết bị"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=100)])
    offline_hours = IntegerField(_l("Được dùng ngoại tuyến tối đa (giờ)"), default=48,
                                 validators=[Optional(), NumberRange(min=1, max=24 * 14)],
                                 description="Offline scans dated earlier than this are refused on upload")


_CODE_DESCRIPTION = "What the QR code holds, or a ticket code typed by hand"
_NONCE_DESCRIPTION = "The scanner's own id for this scan; a retry is harmless"


class _ScanFields(BaseForm):
    """What every scan may say: which way, at which gate; a missing direction is an entry."""

    direction = SelectField(_l("Hướng quét"), choices=choices((d.value, d.value) for d in Direction),
                            coerce=lambda value: value if isinstance(value, Direction) else Direction(value or "entry"),
                            default=Direction.ENTRY.value)
    gate = StringField(validators=[Optional(), Length(max=GATE_MAX_LENGTH)])


class ScanForm(_ScanFields):
    """A live scan: a ticket's code, or the registration a search found."""

    code = StringField(validators=[Optional(), Length(max=CODE_MAX_LENGTH)], description=_CODE_DESCRIPTION)
    registration_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_DB_ID)],
                                   description="Instead of code: a person found by search")
    nonce = StringField(validators=[Optional(), Length(max=NONCE_MAX_LENGTH)], description=_NONCE_DESCRIPTION)

    NULLABLE_FIELDS = ("code", "registration_id", "direction", "gate", "nonce")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.code.data is None and self.registration_id.data is None:
            self.code.errors = [_l("Cần mã vé hoặc người đã tìm.")]
            return False
        return True


class OfflineScanForm(_ScanFields):
    """A scan made offline and uploaded later: its code, its nonce and when it happened are all needed."""

    code = StringField(validators=[InputRequired(REQUIRED), Length(max=CODE_MAX_LENGTH)],
                       description=_CODE_DESCRIPTION)
    nonce = StringField(validators=[InputRequired(REQUIRED), Length(max=NONCE_MAX_LENGTH)],
                        description=_NONCE_DESCRIPTION)
    scanned_at = LocalDateTimeField(validators=[InputRequired(REQUIRED)])

    NULLABLE_FIELDS = ("direction", "gate")


class WalkInForm(RegistrationForm):
    """Someone registered at the door: the registration form, in any category the event has open. A walk-in
    registered offline comes with the scanner's key for it (an upload repeated is applied once) and its time."""

    walk_in_key = StringField(validators=[Optional(), Length(max=NONCE_MAX_LENGTH)],
                              description="The scanner's own id for an offline walk-in; a repeat is harmless")
    scanned_at = LocalDateTimeField(validators=[Optional()], description="When the offline walk-in was registered")

    def bind(self, check_in_list: CheckInList) -> "WalkInForm":
        self.category_id.choices = choices((c.id, c.name) for c in registrations.categories(
            check_in_list.event_id, active_only=True))
        self.gender.choices = choices([("", "")] + [(g.value, g.value) for g in Gender])
        return self


class CompletionRuleForm(BaseForm):
    """An event's completion rule; an event that is not a training may have none (empty kind)."""

    kind = SelectField(_l("Điều kiện hoàn thành"), choices=choices(
        [("", _l("Không xét hoàn thành"))] + [(k.value, k.label) for k in CompletionRuleKind]),
        coerce=optional_enum(CompletionRuleKind),
        validators=[Optional()], description="Empty: no rule (refused for a training)")
    min_percent = IntegerField(_l("Tỉ lệ phiên tối thiểu (%)"), validators=[Optional(), NumberRange(min=1, max=100)],
                               description="For the sessions rule only: 1 to 100")

    NULLABLE_FIELDS = ("kind", "min_percent")

    def bind(self, event: Event) -> "CompletionRuleForm":
        if event.event_type == EventType.TRAINING:  # a training always has a rule
            self.kind.choices = choices((k.value, k.label) for k in CompletionRuleKind)
        return self

    def to_details(self) -> RuleDetails:
        return RuleDetails(self.kind.data, self.min_percent.data)


DECISIONS = {"completed": True, "not_completed": False, "rule": None}


class CompletionDecisionForm(BaseForm):
    """An organiser marks one person completed or not, or returns them to the rule, saying why."""

    decision = SelectField(_l("Quyết định"), choices=choices([
        ("completed", _l("Đánh dấu hoàn thành")), ("not_completed", _l("Đánh dấu chưa hoàn thành")),
        ("rule", _l("Theo điều kiện hoàn thành"))]), validators=[InputRequired(REQUIRED)])
    reason = StringField(_l("Lý do"), filters=[strip],
                         validators=[DataRequired(REQUIRED), Length(max=MAX_REASON_LENGTH)])

    def to_decision(self) -> Decision:
        return Decision(DECISIONS[self.decision.data], self.reason.data)


class PaperEntryForm(BaseForm):
    """Attendance typed in from a signed sheet: ticks on the grid, or order numbers."""

    ranges = StringField(_l("Số thứ tự đã ký (ví dụ: 1-12, 15)"), filters=[strip],
                         validators=[Optional(), Length(max=2000)])
    registration_ids = SelectMultipleField(_l("Người đã ký"), coerce=int, choices=[], validate_choice=False)

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.ranges.data and not self.registration_ids.data:
            self.ranges.errors.append(_l("Đánh dấu người đã ký hoặc nhập số thứ tự."))
            return False
        return True
