"""Form pieces every module shares: Vietnamese validation messages, local datetimes, enum choices,
validating a JSON body with the same form as the HTML page, the one submit helper that hands a form
to its service, and the JSON schema of a form for the API's OpenAPI document."""
from collections.abc import Callable
from datetime import datetime
from math import isfinite
from typing import Self, TypeVar

from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    EmailField,
    Field,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp
from wtforms.widgets import TextInput

from .errors import ValidationFailed
from .text import has_line_breakers, normalise_pasted
from .timeutil import from_local, this_year, to_local

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
    "Not a valid time value.": _l("Giờ không hợp lệ."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Có lựa chọn không hợp lệ."),
    "'%(value)s' is not a valid choice for this field.": _l("“%(value)s” không phải là lựa chọn hợp lệ."),
    "'%(value)s' are not valid choices for this field.": _l("“%(value)s” không phải là các lựa chọn hợp lệ."),
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


REQUIRED = _l("Trường này là bắt buộc.")
LINE_BREAK_MESSAGE = _l("Chỉ được viết trên một dòng: bỏ ký tự xuống dòng, ngắt đoạn hoặc ký tự điều khiển "
                        "(thường gặp khi dán từ Word).")


def strip(value):
    """Filter: surrounding spaces never count."""
    return value.strip() if isinstance(value, str) else value


class _WTFormsTranslations:
    def gettext(self, message):
        return str(_WTFORMS_MESSAGES.get(message, message))

    def ngettext(self, singular, plural, n):
        return str(_WTFORMS_MESSAGES.get(singular if n == 1 else plural, singular if n == 1 else plural))


class BaseForm(FlaskForm):
    """A form is the adapter between HTTP and a service: it binds its own choices (`bind`), builds the
    service's input (`to_details()` → a small dataclass), and is handed to the service by `submit` (page)
    or `submit_json` (API, editor calls); the API's request schema is generated from it (`form_schema`)."""

    class Meta:
        def get_translations(self, form):
            return _WTFormsTranslations()

    def bind(self, *context) -> Self:
        """Set the choices of the select fields from what they depend on (e.g. the event); returns the form.
        Forms with choices that depend on data override it; `submit_json` calls it with its `context`."""
        return self

    def validate(self, extra_validators=None) -> bool:
        """Every single-line text field refuses line breaks and control characters (they would reach a mail
        header, an SMS or a calendar property); pasted multi-line text is normalised instead."""
        unsafe = []
        for field in self:
            if not isinstance(field.data, str):
                continue
            if isinstance(field, TextAreaField):
                field.data = normalise_pasted(field.data)
            elif isinstance(field, StringField) and has_line_breakers(field.data):
                unsafe.append(field)
        valid = super().validate(extra_validators)
        for field in unsafe:
            field.errors = list(field.errors) + [str(LINE_BREAK_MESSAGE)]
        return valid and not unsafe

    def add_check_problems(self, problems: dict) -> None:
        """A service's check run beside the form's validators: its messages for the fields that have none yet
        (the form's own message stays the one shown for a field both refuse)."""
        for name, messages in problems.items():
            target = self._fields.get(name)
            if target is None:
                self.form_errors.extend(str(m) for m in messages)
            elif not target.errors:
                target.errors = [str(m) for m in messages]

    def apply_errors(self, error: ValidationFailed) -> None:
        """Show a service's field errors next to the fields; unknown names become form errors."""
        for name, messages in error.fields.items():
            target = self._fields.get(name)
            if target is not None:
                target.errors = list(target.errors) + [str(m) for m in messages]
            else:
                self.form_errors.extend(str(m) for m in messages)


class UpToThisYear(NumberRange):
    """A year from `first` to this year, the maximum read at each validation (and by the API schema), so the
    form, the service (which checks the same `first` and `this_year()`) and the document never disagree."""

    def __init__(self, first: int):
        self.min, self.message = first, None

    @property
    def max(self) -> int:
        return this_year()

    @property
    def field_flags(self) -> dict:
        return {"min": self.min, "max": self.max}


def has_invalid_characters(text: str) -> bool:
    """NUL, which no database column stores, or a lone surrogate, which cannot be encoded as UTF-8."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _accepts_null(field) -> bool:
    """Without a declaration, null may stand for an empty value only where empty is what the field gets anyway:
    the field is not required and has no default that null would silently pick."""
    return not field.flags.required and field.default in (None, "", [], ())


def _is_text(value) -> bool:
    return isinstance(value, str)


def _is_boolean(value) -> bool:
    return isinstance(value, bool)


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    """A JSON number: a boolean is none, and neither are NaN and Infinity, which JSON cannot write."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return isfinite(value)
    except OverflowError:  # an integer larger than any float
        return False


def _coerces_to_int(field) -> bool:
    """An id select (coerce int, or an "int or None" of its own) turns "1" into 1."""
    try:
        return type(field.coerce("1")) is int
    except (TypeError, ValueError, LookupError):  # an enum's coerce, say
        return False


_TEXT_ONLY = _l("Trường này phải là chuỗi ký tự.")


def _json_kind(field):
    """What each JSON value for this field must be, and the message when it is not: the one table for every form.
    A select is checked item by item, so a multiple select takes a list of the same values."""
    if isinstance(field, SelectField):
        if _coerces_to_int(field):
            return (lambda value: _is_text(value) or _is_integer(value)), \
                _l("Trường này phải là số nguyên hoặc chuỗi ký tự.")
        return _is_text, _TEXT_ONLY
    kinds = (
        (BooleanField, _is_boolean, _l("Trường này phải là true hoặc false.")),
        (IntegerField, _is_integer, _l("Trường này phải là số nguyên.")),
        ((FloatField, DecimalField), _is_number, _l("Trường này phải là số.")),
        ((StringField, DateTimeField, LocalDateTimeField), _is_text, _TEXT_ONLY),
    )
    for kind, fits, message in kinds:
        if isinstance(field, kind):
            return fits, message
    return None, _l("Trường này không nhận giá trị JSON.")


def _json_text(value) -> str:
    """The form value standing for a JSON value that fits its field."""
    if isinstance(value, bool):
        return "y" if value else ""
    return value if isinstance(value, str) else str(value)


def _json_items(field, value) -> tuple[list[str], object]:
    """The form values a JSON value stands for, or the message saying why it cannot stand for any."""
    fits, message = _json_kind(field)
    if fits is None:
        return [], message
    if isinstance(field, SelectMultipleField):
        if not isinstance(value, list):
            return [], _l("Trường này phải là một danh sách.")
        items = value
    elif isinstance(value, list):
        return [], _l("Trường này chỉ nhận một giá trị.")
    else:
        items = [value]
    texts = []
    for item in items:
        if not fits(item):
            return [], message
        text = _json_text(item)
        if has_invalid_characters(text):
            return [], _l("Có ký tự không hợp lệ.")
        texts.append(text)
    return texts, None


def form_from_json(form_class, payload, *, allowed_extra: tuple[str, ...] = (), prepare=None,
                   nullable: tuple[str, ...] | None = None, **kwargs):
    """Validate a JSON object with an HTML form class, or raise ValidationFailed with field messages.

    A JSON null is accepted only for the fields named in `nullable` (by default the form class's
    NULLABLE_FIELDS, or else the fields that are optional and have no default) and means "empty";
    elsewhere it is an error, never a silent fallback to the field's default."""
    if not isinstance(payload, dict):
        raise ValidationFailed({"_body": [_l("Nội dung yêu cầu phải là một đối tượng JSON.")]})
    if any(has_invalid_characters(key) for key in payload):
        raise ValidationFailed({"_body": [_l("Có ký tự không hợp lệ.")]})
    if nullable is None:
        nullable = getattr(form_class, "NULLABLE_FIELDS", None)
    form = form_class(formdata=None, meta={"csrf": False}, **kwargs)
    problems: dict[str, list] = {}
    formdata = MultiDict()
    for key, value in payload.items():
        field = form._fields.get(key)
        if field is None:
            if key not in allowed_extra:
                problems[key] = [_l("Trường không được hỗ trợ.")]
            continue
        if value is None:
            accepted = key in nullable if nullable is not None else _accepts_null(field)
            if not accepted:
                problems[key] = [_l("Trường này không được để trống.")]
            continue
        texts, problem = _json_items(field, value)
        if problem is not None:
            problems[key] = [problem]
        for text in texts:
            formdata.add(key, text)
    if problems:
        raise ValidationFailed(problems)
    form = form_class(formdata=formdata, meta={"csrf": False}, **kwargs)
    if prepare is not None:
        prepare(form)  # e.g. set the choices of select fields
    if not form.validate():
        raise ValidationFailed(form.errors)
    return form


LOCAL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
LOCAL_DATE_FORMAT = "%d/%m/%Y"
MIN_YEAR, MAX_YEAR = 2000, 2100


def _year_message() -> str:
    return gettext("Năm phải trong khoảng %(min)d–%(max)d.", min=MIN_YEAR, max=MAX_YEAR)


def _check_year(year: int) -> None:
    """Dates far from today are typing mistakes, and near year 1 or 9999 they overflow time zone arithmetic."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_year_message())


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
        value = self._parse(valuelist[0].strip())
        _check_year(value.year)
        try:
            self.data = from_local(value)
        except OverflowError as error:
            raise ValueError(_year_message()) from error

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

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not MIN_YEAR <= self.data.year <= MAX_YEAR:
            self.data = None
            raise ValueError(_year_message())

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


def optional_enum(enum_class):
    """Coerce for a select of an enum's values whose empty option means none."""
    def coerce(value):
        if isinstance(value, enum_class) or value is None:
            return value
        return enum_class(value) if value else None

    return coerce


def optional_id(value):
    """Coerce for a select of database ids whose empty option means none."""
    if value in ("", None):
        return None
    return int(value)


# Submitting: the one way a form reaches its service -----------------------------------------------

FormT = TypeVar("FormT", bound=BaseForm)
Result = TypeVar("Result")


def submit(form: FormT, save: Callable[[FormT], Result],
           check: Callable[[FormT], dict] | None = None) -> Result | None:
    """A page's POST: validate the (already bound) form and return `save(form)`, which calls the service
    with `form.to_details()` and returns what it saved (never None). None means "show the page again":
    the form then holds every message, its own validators' and the service's (a ValidationFailed put
    back on the fields by `apply_errors`); nothing is validated on a GET.
    Other DomainErrors propagate to the error handler. The page and the API of one action pass the same
    form class and the same service call; see `submit_json`.

        form = RoomForm().bind(event)
        room = submit(form, lambda f: services.save_room(event.id, room_id, f.to_details()))
        if room is None:
            return render_template(..., form=form), 422

    `check(form)`, when given, is the service's own check without saving ({field: [messages]}): it runs also
    when the form's validators fail, so the page shows every problem in one pass instead of the form's first
    and the service's after the next submit.
    """
    if not form.validate_on_submit():
        if check is not None and form.is_submitted():
            form.add_check_problems(check(form))
        return None
    try:
        return save(form)
    except ValidationFailed as error:
        form.apply_errors(error)
        return None


def submit_json(form_class: type[FormT], save: Callable[[FormT], Result], *context, payload=None,
                **form_options) -> Result:
    """A JSON call (API or an editor's fetch): validate the request's JSON body (or `payload`) with the
    same form class as the page, through `form_from_json` (`form.bind(*context)` sets its choices;
    `form_options` such as `allowed_extra` or `nullable` go to it), then return `save(form)`.
    A ValidationFailed, the form's or the service's, propagates: the error handler answers 422 with the
    form's field names. Describe the route with `route(..., form=form_class)` so the OpenAPI document's
    request schema is this form's.

        room = submit_json(RoomForm, lambda f: services.save_room(event.id, room_id, f.to_details()), event)
    """
    body = request.get_json(silent=True) if payload is None else payload
    form = form_from_json(form_class, body, prepare=lambda f: f.bind(*context), **form_options)
    return save(form)


# The JSON schema of a form ------------------------------------------------------------------------

DATETIME_DESCRIPTION = "ISO 8601; without an offset, local time (dd/mm/yyyy HH:MM also accepted)"


def _choice_values(field: SelectField) -> list:
    values = []
    for choice in field.choices or []:
        value = choice.value if isinstance(choice, SelectChoice) else choice[0] if isinstance(choice, tuple) else \
            choice
        if value not in ("", None):
            values.append(value)
    return values


def _choice_schema(field: SelectField) -> dict:
    """One option: an integer for id selects, else a string; an enum when the options are fixed (an enum select)
    and checked. Options bound at request time (rooms, categories) are not known to the document."""
    definition = {"type": "integer" if _coerces_to_int(field) else "string"}  # as form_from_json reads it
    values = _choice_values(field)
    if values and field.validate_choice:
        definition["enum"] = values
    return definition


def _bounds(field: Field) -> dict:
    """maxLength/minLength, minimum/maximum and pattern from the field's validators, read when the document is
    built, so a bound computed from today (a birth year) stays current."""
    bounds = {}
    for validator in field.validators:
        if isinstance(validator, Length):
            if validator.max is not None and validator.max >= 0:
                bounds["maxLength"] = validator.max
            if validator.min is not None and validator.min > 0:
                bounds["minLength"] = validator.min
        elif isinstance(validator, NumberRange):
            if validator.min is not None:
                bounds["minimum"] = validator.min
            if validator.max is not None:
                bounds["maximum"] = validator.max
        elif isinstance(validator, Regexp):
            bounds["pattern"] = validator.regex.pattern
    return bounds


def _non_empty(field: Field) -> dict:
    """A required text must hold something: a character (InputRequired), a visible one (DataRequired)."""
    bounds = _bounds(field)
    rule = {}
    if any(isinstance(v, InputRequired | DataRequired) for v in field.validators) and "minLength" not in bounds:
        rule["minLength"] = 1
    if any(isinstance(v, DataRequired) for v in field.validators) and "pattern" not in bounds:
        rule["pattern"] = r"\S"
    return rule


def field_schema(field: Field) -> dict:
    """The JSON value `form_from_json` accepts for one field: JSON strings for text, dates and times, true/false
    for a checkbox, numbers for numbers, an array for a multiple select."""
    if isinstance(field, SelectMultipleField):
        return {"type": "array", "items": _choice_schema(field)}
    if isinstance(field, SelectField):
        return _choice_schema(field)
    if isinstance(field, BooleanField):
        return {"type": "boolean"}
    if isinstance(field, IntegerField):
        return {"type": "integer", **_bounds(field)}
    if isinstance(field, DecimalField | FloatField):
        return {"type": "number", **_bounds(field)}
    if isinstance(field, DateField):  # before DateTimeField, its base class
        return {"type": "string", "format": "date", "description": "yyyy-mm-dd (dd/mm/yyyy also accepted)"}
    if isinstance(field, LocalDateTimeField | DateTimeField):
        return {"type": "string", "format": "date-time", "description": DATETIME_DESCRIPTION}
    if isinstance(field, StringField):
        return {"type": "string", **({"format": "email"} if isinstance(field, EmailField) else {}), **_bounds(field),
                **_non_empty(field)}
    raise TypeError(f"{field.name}: a {type(field).__name__} has no JSON form; leave it out of the API's form")


def _required(field: Field) -> bool:
    if field.flags.required:
        return True
    # A fixed select without an empty option and without a default refuses a missing value too.
    return (isinstance(field, SelectField) and not isinstance(field, SelectMultipleField) and field.validate_choice
            and not field.flags.optional and field.default is None and bool(field.choices)
            and len(_choice_values(field)) == len(field.choices))


def form_schema(form_class: type[BaseForm], *, partial: bool = False, extra: dict | None = None,
                extra_required: tuple[str, ...] = ()) -> dict:
    """The JSON object `form_from_json(form_class, ...)` accepts, as an OpenAPI 3.0 schema: a property per
    field (`field_schema`), `required` from the required validators (none when `partial`, for PATCH), nullable
    where a JSON null is accepted (the form's NULLABLE_FIELDS, or the fields that are optional without a
    default), the field's `description` when it has one, and nothing else unless `extra` names properties
    (the `allowed_extra` of `form_from_json`, or keys the view reads itself), `extra_required` those required."""
    form = form_class(formdata=None, meta={"csrf": False})
    nullable = getattr(form_class, "NULLABLE_FIELDS", None)
    properties, required = {}, []
    for name, field in form._fields.items():
        definition = field_schema(field)
        if (name in nullable) if nullable is not None else _accepts_null(field):
            definition["nullable"] = True
        if field.description:
            definition["description"] = str(field.description)
        properties[name] = definition
        if not partial and _required(field):
            required.append(name)
    definition = {"type": "object", "properties": {**properties, **(extra or {})}, "additionalProperties": False}
    required += [] if partial else list(extra_required)
    if required:
        definition["required"] = required
    return definition
