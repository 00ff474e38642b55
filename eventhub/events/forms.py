from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.models import User
from ..accounts.services import EVENT_MANAGER_ROLES, list_organisations, organisations_where
from ..forms import REQUIRED, BaseForm, LocalDateField, LocalDateTimeField, choices, enum_select, strip
from .coorganisers import RESPONSES
from .models import Event, EventLevel, EventType, Visibility
from .services import MAX_CAPACITY, MIN_CAPACITY, TRANSITIONS, CloneDetails, EventDetails, PortalFilters


class EventForm(BaseForm):
    """The event details, for the organiser's page and for the JSON API alike."""

    title = StringField(_l("Tên sự kiện"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)])
    summary = StringField(_l("Giới thiệu ngắn"), filters=[strip], validators=[Optional(), Length(max=300)])
    event_type = enum_select(EventType, _l("Loại sự kiện"), validators=[InputRequired(REQUIRED)])
    level = enum_select(EventLevel, _l("Cấp tổ chức"), validators=[InputRequired(REQUIRED)])
    visibility = enum_select(Visibility, _l("Hiển thị"), default=Visibility.PUBLIC.value)
    province = StringField(_l("Tỉnh/thành phố"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=100)])
    sub_unit = StringField(_l("Xã/phường, huyện (nếu có)"), filters=[strip], validators=[Optional(), Length(max=150)])
    venue_name = StringField(_l("Địa điểm"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)])
    venue_address = StringField(_l("Địa chỉ"), filters=[strip], validators=[Optional(), Length(max=300)])
    starts_at = LocalDateTimeField(_l("Bắt đầu"), validators=[InputRequired(REQUIRED)])
    ends_at = LocalDateTimeField(_l("Kết thúc"), validators=[InputRequired(REQUIRED)])
    registration_opens_at = LocalDateTimeField(_l("Mở đăng ký"), validators=[Optional()])
    registration_closes_at = LocalDateTimeField(_l("Hạn đăng ký"), validators=[Optional()])
    capacity = IntegerField(_l("Sức chứa (người)"),
                            validators=[Optional(), NumberRange(min=MIN_CAPACITY, max=MAX_CAPACITY)])
    description_md = TextAreaField(_l("Mô tả (Markdown)"), validators=[Optional(), Length(max=20_000)])
    co_organiser_ids = SelectMultipleField(_l("Đơn vị phối hợp"), coerce=int, choices=[], validate_choice=True,
                                           widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def bind(self, event: Event | None = None) -> "EventForm":
        """Co-organisers: every organisation but the event's owner."""
        owner_id = event.organisation_id if event else None
        self.co_organiser_ids.choices = choices((o.id, o.name) for o in list_organisations() if o.id != owner_id)
        return self

    def to_details(self) -> EventDetails:
        return EventDetails(
            title=self.title.data, summary=self.summary.data or None, event_type=self.event_type.data,
            level=self.level.data, visibility=self.visibility.data, province=self.province.data,
            sub_unit=self.sub_unit.data or None, venue_name=self.venue_name.data,
            venue_address=self.venue_address.data or None, starts_at=self.starts_at.data, ends_at=self.ends_at.data,
            registration_opens_at=self.registration_opens_at.data,
            registration_closes_at=self.registration_closes_at.data, capacity=self.capacity.data,
            description_md=self.description_md.data or "", co_organiser_ids=list(self.co_organiser_ids.data or []),
        )


class EventPageForm(EventForm):
    """The HTML page adds the owning organisation (on creation) and the cover upload."""

    organisation_id = SelectField(_l("Đơn vị chủ trì"), coerce=int, choices=[])
    cover_image = FileField(_l("Ảnh bìa (JPEG, PNG, WebP, tối đa 5 MB)"))

    def bind(self, event: Event | None = None, user: User | None = None) -> "EventPageForm":
        """The owner is one of the organisations the user manages; an existing event keeps its owner."""
        super().bind(event)
        if event is None:
            managed = organisations_where(user, EVENT_MANAGER_ROLES)
            self.organisation_id.choices = choices((o.id, o.name) for o in managed)
        else:
            del self.organisation_id
        return self

    def cover(self) -> bytes | None:
        """The uploaded cover's bytes, or None when no file was chosen."""
        upload = self.cover_image.data
        return upload.read() if upload and getattr(upload, "filename", "") else None


class TransitionForm(BaseForm):
    action = HiddenField(validators=[DataRequired(REQUIRED)], description="One of: " + ", ".join(TRANSITIONS))
    reason = TextAreaField(_l("Lý do huỷ (hiển thị công khai)"), validators=[Optional(), Length(max=2000)],
                           description="Required to cancel; shown to the public")

    def validate_action(self, field):
        if field.data not in TRANSITIONS:
            raise ValidationError(_l("Thao tác không hợp lệ."))


class TransitionPageForm(TransitionForm):
    """The page's form also says whether the organiser came through the cancellation's confirmation step."""

    confirmed = BooleanField()


class CloneForm(BaseForm):
    title = StringField(_l("Tên sự kiện mới"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)])
    starts_at = LocalDateTimeField(_l("Bắt đầu"), validators=[InputRequired(REQUIRED)])
    ends_at = LocalDateTimeField(_l("Kết thúc"), validators=[InputRequired(REQUIRED)])

    def to_details(self) -> CloneDetails:
        return CloneDetails(title=self.title.data, starts_at=self.starts_at.data, ends_at=self.ends_at.data)


class _Words(frozenset):
    """Matches words whatever their case and surrounding spaces."""

    def __contains__(self, value):
        return super().__contains__(value.strip().lower() if isinstance(value, str) else value)


FALSE_WORDS = _Words({False, "", "0", "false", "no", "off"})  # ?include_past=0 means no, as it reads


class PortalSearchForm(BaseForm):
    """The portal's GET filters; bad values are ignored rather than refused."""

    class Meta:
        csrf = False

    q = StringField(_l("Tìm theo tên, địa điểm hoặc đơn vị tổ chức"), filters=[strip],
                    validators=[Optional(), Length(max=100)])
    event_type = SelectField(_l("Loại sự kiện"), choices=[], validate_choice=True, validators=[Optional()])
    province = SelectField(_l("Tỉnh/thành phố"), choices=[], validate_choice=True, validators=[Optional()])
    date_from = LocalDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = LocalDateField(_l("Đến ngày"), validators=[Optional()])
    include_past = BooleanField(_l("Gồm cả sự kiện đã qua"), false_values=FALSE_WORDS)

    def bind(self, provinces: list[str]) -> "PortalSearchForm":
        """Types are fixed; provinces are those of the events the portal shows."""
        self.event_type.choices = choices([("", _l("Tất cả"))] + [(t.value, t.label) for t in EventType])
        self.province.choices = choices([("", _l("Tất cả"))] + [(p, p) for p in provinces])
        return self

    def to_filters(self) -> PortalFilters:
        """The filters of a validated form; a field that did not validate filters nothing."""
        value = lambda field: None if field.errors else (field.data or None)  # noqa: E731
        event_type = value(self.event_type)
        return PortalFilters(
            q=value(self.q), event_type=EventType(event_type) if event_type else None, province=value(self.province),
            date_from=value(self.date_from), date_to=value(self.date_to), include_past=bool(self.include_past.data))


class InvitationResponseForm(BaseForm):
    """An organisation admin's answer to an invitation to co-organise."""

    action = HiddenField(validators=[DataRequired(REQUIRED)], description="accept or decline")

    def validate_action(self, field):
        if field.data not in RESPONSES:
            raise ValidationError(_l("Thao tác không hợp lệ."))
