"""Form pieces every module shares: Vietnamese validation messages, local datetimes, enum choices,
and validating a JSON body with the same form as the HTML page."""
from datetime import datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Field, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import TextInput

from .errors import ValidationFailed
from .timeutil import from_local, to_local

# WTForms ships no Vietnamese catalogue; its built-in messages are translated through ours.
_WTFORMS_MESSAGES = {
    "This field is required.": _l("Trường này là bắt buộc."),
    "Not a valid integer value.": _l("Vui lòng nhập một số nguyên."),
    "Not a valid decimal value.": _l("Vui lòng nhập một số."),
    "Not a valid float value.": _l("Vui lòng nhập một số."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Choices cannot be None.": _l("Lựa chọn không hợp lệ."),
    "Invalid email address.": _l("Địa chỉ e-mail không hợp lệ."),
    "Not a valid date value.": _l("Ngày không hợp lệ."),
    "Not a valid datetime value.": _l("Thời gian không hợp lệ."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Field must be equal to %(other_name)s.": _l("Giá trị nhập lại không khớp."),
    "Number must be at least %(min)s.": _l("Giá trị phải từ %(min)s trở lên."),
    "Number must be at most %(max)s.": _l("Giá trị phải không quá %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Giá trị phải từ %(min)s đến %(max)s."),
    "Field must be at least %(min)d character long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field must be at least %(min)d characters long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field cannot be longer than %(max)d character.": _l("Không được dài quá %(max)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Không được dài quá %(max)d ký tự."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Độ dài phải từ %(min)d đến %(max)d ký tự."),
}


class _WTFormsTranslations:
    def gettext(self, message):
        return str(_WTFORMS_MESSAGES.get(message, message))

    def ngettext(self, singular, plural, n):
        return str(_WTFORMS_MESSAGES.get(singular if n == 1 else plural, singular if n == 1 else plural))


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _WTFormsTranslations()

    def apply_errors(self, error: ValidationFailed) -> None:
        """Show a service's field errors next to the fields; unknown names become form errors."""
        for name, messages in error.fields.items():
            target = self._fields.get(name)
            if target is not None:
                target.errors = list(target.errors) + [str(m) for m in messages]
            else:
                self.form_errors.extend(str(m) for m in messages)


def form_from_json(form_class, payload, *, allowed_extra: tuple[str, ...] = (), prepare=None, **kwargs):
    """Validate a JSON object with an HTML form class, or raise ValidationFailed with field messages."""
    if not isinstance(payload, dict):
        raise ValidationFailed({"_body": [_l("Nội dung yêu cầu phải là một đối tượng JSON.")]})
    formdata = MultiDict()
    for key, value in payload.items():
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if isinstance(item, bool):
                item = "y" if item else ""
            formdata.add(key, str(item))
    form = form_class(formdata=formdata, meta={"csrf": False}, **kwargs)
    if prepare is not None:
        prepare(form)  # e.g. set the choices of select fields
    unknown = sorted(set(payload) - set(form._fields) - set(allowed_extra))
    if unknown:
        raise ValidationFailed({name: [_l("Trường không được hỗ trợ.")] for name in unknown})
    if not form.validate():
        raise ValidationFailed(form.errors)
    return form


LOCAL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
LOCAL_DATE_FORMAT = "%d/%m/%Y"


class LocalDateTimeField(Field):
    """A datetime typed as Vietnamese local time ("08/03/2027 07:30", whatever the browser's locale),
    or ISO 8601 with or without an offset from the API; its data is an aware UTC datetime."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_local(self.data).strftime(LOCAL_DATETIME_FORMAT) if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        self.data = from_local(self._parse(valuelist[0].strip()))

    @staticmethod
    def _parse(text: str) -> datetime:
        for pattern in (LOCAL_DATETIME_FORMAT, "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
            try:
                return datetime.strptime(" ".join(text.split()), pattern)
            except ValueError:
                continue
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as error:
            raise ValueError(gettext("Thời gian không hợp lệ, hãy nhập dạng ngày/tháng/năm giờ:phút, "
                                     "ví dụ 08/03/2027 07:30.")) from error


class LocalDateField(DateField):
    """A date typed as dd/mm/yyyy (ISO yyyy-mm-dd also accepted)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=[LOCAL_DATE_FORMAT, "%Y-%m-%d"], **kwargs)
        self.widget = TextInput()

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(LOCAL_DATE_FORMAT) if self.data else ""


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_select(enum_class, label, **kwargs) -> SelectField:
    """A select over an enum's values, labelled by the enum's translated labels."""
    return SelectField(
        label,
        choices=choices((member.value, member.label) for member in enum_class),
        coerce=lambda value: value if isinstance(value, enum_class) else enum_class(value),
        **kwargs,
    )

