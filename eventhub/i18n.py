"""Language choice and the formats a Vietnamese reader expects: dd/mm/yyyy, 24-hour, 1.500.000 ₫."""
from datetime import date, datetime

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, refresh
from flask_login import current_user

from .timeutil import to_local

LANGUAGE_SESSION_KEY = "language"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, scheduler jobs, tests of services
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/") or session.get(LANGUAGE_SESSION_KEY) in languages:
        return locale_without_database()
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    hint = request.args.get("lang") if request.endpoint == "checkin.scanner" else None
    if hint in languages:  # a scanner link carries its issuer's language, for a phone nobody signed in on
        return hint
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def locale_without_database() -> str:
    """The language chosen for this request from what it carries, never from the signed-in account (usable when
    the database cannot be reached). API: the calling page says which language it shows (X-Language); else a
    device answers in the language it was issued in (`use_device_language`); else the client's Accept-Language.
    Pages: the session's choice."""
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/"):
        for wish in (request.headers.get("X-Language"), g.get(DEVICE_LANGUAGE_KEY)):
            if wish in languages:
                return wish
        return request.accept_languages.best_match(languages) or languages[0]
    chosen = session.get(LANGUAGE_SESSION_KEY)
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


DEVICE_LANGUAGE_KEY = "device_language"


def use_device_language(language: str | None) -> None:
    """An API request made with a device token: answer in the device's language unless the page asked."""
    g.setdefault(DEVICE_LANGUAGE_KEY, language)
    refresh()


def select_timezone() -> str:
    return current_app.config["EVENTHUB_TIMEZONE"]


def format_datetime(value: datetime | None) -> str:
    return "" if value is None else to_local(value).strftime("%d/%m/%Y %H:%M")


def format_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def format_time(value: datetime | None) -> str:
    return "" if value is None else to_local(value).strftime("%H:%M")


def format_vnd(amount: int | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,.0f}".replace(",", ".") + " ₫"


def register_template_filters(app):
    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}

    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_time, "time")
    app.add_template_filter(format_vnd, "vnd")
