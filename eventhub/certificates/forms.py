from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..errors import ValidationFailed
from ..forms import REQUIRED, BaseForm, choices, strip
from .models import CertificateKind
from .services import (
    MAX_BODY_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SIGNER_NAME_LENGTH,
    MAX_SIGNER_TITLE_LENGTH,
    MAX_TITLE_LENGTH,
    PrizeHolder,
    TemplateDetails,
)

MAX_PRIZE_LINES = 500

# The kinds an organiser issues from an event's attendance; prizes come from a competition's results.
ISSUABLE_KINDS = (CertificateKind.COMPLETION, CertificateKind.PARTICIPATION)


def _kind_select(description: str) -> SelectField:
    return SelectField(_l("Loại giấy chứng nhận"), choices=choices((k.value, k.label) for k in ISSUABLE_KINDS),
                       coerce=lambda v: v if isinstance(v, CertificateKind) else CertificateKind(v),
                       validators=[InputRequired(REQUIRED)], description=description)


class TemplateForm(BaseForm):
    """The wording and signer of one kind of certificate, for the event or as the organisation's default."""

    title = StringField(_l("Tiêu đề"), filters=[strip], validators=[DataRequired(REQUIRED),
                                                                    Length(max=MAX_TITLE_LENGTH)],
                        description="e.g. Giấy chứng nhận")
    body = TextAreaField(_l("Nội dung"), filters=[strip], validators=[DataRequired(REQUIRED),
                                                                      Length(max=MAX_BODY_LENGTH)],
                         description="Text with the placeholders {holder_name}, {event_title}, {event_dates}, "
                                     "{venue}, {prize_title}, {organisation}")
    signer_name = StringField(_l("Họ và tên người ký"), filters=[strip],
                              validators=[DataRequired(REQUIRED), Length(max=MAX_SIGNER_NAME_LENGTH)])
    signer_title = StringField(_l("Chức vụ người ký"), filters=[strip],
                               validators=[DataRequired(REQUIRED), Length(max=MAX_SIGNER_TITLE_LENGTH)],
                               description="e.g. Giám đốc, KT. Giám đốc - Phó Giám đốc")
    self_service = BooleanField(_l("Người hoàn thành được tự nhận giấy chứng nhận từ trang vé"),
                                description="Completion certificates only")
    for_organisation = BooleanField(_l("Dùng làm mẫu mặc định cho mọi sự kiện của đơn vị"),
                                    description="false: this event only")

    def to_details(self) -> TemplateDetails:
        return TemplateDetails(self.title.data, self.body.data, self.signer_name.data, self.signer_title.data,
                               bool(self.self_service.data), bool(self.for_organisation.data))


class IssueBatchForm(BaseForm):
    """Issue the missing certificates of a kind to everyone eligible."""

    kind = _kind_select("completion: the training's completers; participation: everyone checked in")

    def to_kind(self) -> CertificateKind:
        return self.kind.data


class IssueOneForm(BaseForm):
    """Issue one person's certificate (or get the one they have)."""

    kind = _kind_select("completion or participation")
    registration_id = IntegerField(_l("Người nhận"), validators=[InputRequired(REQUIRED)],
                                   description="A confirmed registration of the event")


class RevokeForm(BaseForm):
    reason = StringField(_l("Lý do thu hồi"), filters=[strip],
                         validators=[DataRequired(REQUIRED), Length(max=MAX_REASON_LENGTH)])


class PrizeWinnersForm(BaseForm):
    """Prize winners typed in, one a line: "Họ và tên | Tên giải" (a fair's or a forum's awards; a competition's
    results come through `services.prize_holders`)."""

    winners = TextAreaField(_l("Người đạt giải (mỗi dòng: Họ và tên | Tên giải)"), filters=[strip],
                            validators=[DataRequired(REQUIRED), Length(max=MAX_PRIZE_LINES * 330)])

    def to_holders(self) -> list[PrizeHolder]:
        holders = []
        for number, line in enumerate((self.winners.data or "").splitlines(), 1):
            if not line.strip():
                continue
            name, bar, prize = line.partition("|")
            if not bar or not name.strip() or not prize.strip():
                raise ValidationFailed({"winners": [_l("Dòng %(n)d cần có dạng “Họ và tên | Tên giải”.", n=number)]})
            holders.append(PrizeHolder(name.strip(), prize.strip()))
        if len(holders) > MAX_PRIZE_LINES:
            raise ValidationFailed({"winners": [_l("Tối đa %(n)d người mỗi lần.", n=MAX_PRIZE_LINES)]})
        return holders
