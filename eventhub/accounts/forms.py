from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from ..contact import ACCOUNT_ADDRESS, ACCOUNT_ADDRESS_MAX
from ..forms import REQUIRED, BaseForm, choices, enum_select, strip
from ..localities import PROVINCES
from .models import Organisation, OrganisationKind, Role, TokenScope
from .services import API_TOKEN_LIFETIME_DAYS, PASSWORD_MAX_LENGTH, NewMember, OrganisationDetails, list_organisations

INVALID_EMAIL = _l("Địa chỉ e-mail không hợp lệ.")


class LoginForm(BaseForm):
    # Only the shape of an address: accounts on special-use domains (admin@eventhub.local) must sign in too; the
    # full check belongs where an account is created.
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        DataRequired(REQUIRED), Length(max=ACCOUNT_ADDRESS_MAX, message=INVALID_EMAIL),
        Regexp(ACCOUNT_ADDRESS, message=INVALID_EMAIL)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên thiết bị này"))


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("Mật khẩu mới"),
                                 validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX_LENGTH)])
    confirm_password = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(REQUIRED), EqualTo("new_password", _l("Mật khẩu nhập lại không khớp."))])


class ApiTokenForm(BaseForm):
    name = StringField(_l("Tên gợi nhớ (ví dụ: Máy quét cổng 1)"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=100)])
    scope = enum_select(TokenScope, _l("Phạm vi"), default=TokenScope.READ.value)
    lifetime_days = SelectField(_l("Thời hạn"), coerce=int, default=90, choices=choices(
        (days, _l("%(days)d ngày", days=days)) for days in API_TOKEN_LIFETIME_DAYS))


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        DataRequired(REQUIRED), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+$", message=INVALID_EMAIL)])


class ResetPasswordForm(BaseForm):
    new_password = PasswordField(_l("Mật khẩu mới"),
                                 validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX_LENGTH)])
    confirm_password = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(REQUIRED), EqualTo("new_password", _l("Mật khẩu nhập lại không khớp."))])


class OrganisationForm(BaseForm):
    name = StringField(_l("Tên đơn vị"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)])
    short_name = StringField(_l("Tên viết tắt"), filters=[strip], validators=[Optional(), Length(max=60)])
    kind = enum_select(OrganisationKind, _l("Loại đơn vị"))
    province = StringField(_l("Tỉnh/thành phố"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=100)])
    sub_unit = StringField(_l("Xã/phường, huyện (nếu có)"), filters=[strip], validators=[Optional(), Length(max=150)])
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                            choices=[])
    is_active = BooleanField(_l("Đang hoạt động"), default=True)
    contact_email = EmailField(_l("E-mail liên hệ (hiện trên trang sự kiện công khai)"), filters=[strip],
                               validators=[Optional(), Email(INVALID_EMAIL), Length(max=254)])
    contact_phone = StringField(_l("Điện thoại liên hệ (hiện trên trang sự kiện công khai)"), filters=[strip],
                                validators=[Optional(), Length(max=20)])

    provinces = PROVINCES

    def bind(self, organisation: Organisation | None = None) -> "OrganisationForm":
        """Any other organisation may be the parent; the service refuses one below this organisation."""
        self.parent_id.choices = choices([("", _l("— Không có —"))] + [
            (o.id, o.name) for o in list_organisations() if organisation is None or o.id != organisation.id])
        return self

    def to_details(self) -> OrganisationDetails:
        return OrganisationDetails(name=self.name.data, kind=self.kind.data, province=self.province.data,
                                   short_name=self.short_name.data, sub_unit=self.sub_unit.data,
                                   parent_id=self.parent_id.data, is_active=self.is_active.data,
                                   contact_email=self.contact_email.data or None,
                                   contact_phone=self.contact_phone.data or None)


class MemberForm(BaseForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[DataRequired(REQUIRED), Email(INVALID_EMAIL)])
    full_name = StringField(_l("Họ và tên"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=150)])
    role = enum_select(Role, _l("Vai trò"))
    initial_password = PasswordField(_l("Mật khẩu ban đầu (chỉ cho tài khoản mới)"),
                                     validators=[Optional(), Length(max=PASSWORD_MAX_LENGTH)])

    def to_details(self) -> NewMember:
        return NewMember(email=self.email.data, full_name=self.full_name.data, role=self.role.data,
                         initial_password=self.initial_password.data)


class MemberRoleForm(BaseForm):
    role = enum_select(Role, _l("Vai trò"))


class LogoForm(BaseForm):
    logo = FileField(_l("Logo của đơn vị (PNG hoặc JPEG, tối đa 2 MB)"))

    def upload(self) -> bytes:
        upload = self.logo.data
        return upload.read() if upload and getattr(upload, "filename", "") else b""
