"""The public portal: browse, filter and read published events."""
from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup, escape

from ..pagination import paginate
from ..text import render_markdown
from ..uploads import send_upload
from . import services
from .forms import PortalSearchForm
from .ics import calendar_for
from .models import Event, EventType

bp = Blueprint("portal", __name__)

COVER_COLOURS = {
    EventType.STARTUP_DAY: "#1f6f8b", EventType.TRAINING: "#2f6f4e", EventType.COMPETITION: "#b5473a",
    EventType.WORKSHOP: "#5b4a8b", EventType.TALK: "#8a5a1f", EventType.FAIR: "#a3661a",
}


def initials(title: str, limit: int = 3) -> str:
    """The first letters of the title's first words ("Ngày hội khởi nghiệp" → "NHK")."""
    letters = [word[0] for word in title.split() if word[0].isalnum()]
    return "".join(letters[:limit]).upper()


@bp.app_template_global()
def generated_cover(event: Event) -> Markup:
    """A cover for an event without one: its type's colour, the title's initials and the type's name."""
    colour = COVER_COLOURS.get(event.event_type, "#33415c")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="generated-cover" viewBox="0 0 320 180" role="img" '
        f'aria-label="{escape(event.title)}"><rect width="320" height="180" fill="{colour}"/>'
        f'<circle cx="268" cy="34" r="70" fill="#ffffff" fill-opacity="0.12"/>'
        f'<text x="24" y="112" font-size="64" font-weight="bold" fill="#ffffff" '
        f'font-family="DejaVu Sans, Arial, sans-serif">{escape(initials(event.title))}</text>'
        f'<text x="24" y="152" font-size="16" fill="#ffffff" fill-opacity="0.9" '
        f'font-family="DejaVu Sans, Arial, sans-serif">{escape(event.event_type.label)}</text></svg>')


def read_portal_filters() -> tuple[PortalSearchForm, services.PortalFilters]:
    """Parse the portal's query string; a value that does not validate is dropped, never an error."""
    form = PortalSearchForm(request.args).bind(services.portal_provinces())
    form.validate()
    return form, form.to_filters()


@bp.get("/")
def index():
    form, filters = read_portal_filters()
    events = paginate(services.portal_query(filters), current_app.config["EVENTS_PER_PAGE"])
    narrowing = sum(1 for value in (filters.event_type, filters.province, filters.date_from, filters.date_to,
                                    filters.include_past) if value)
    return render_template("portal/index.html", form=form, events=events, filters=filters, narrowing=narrowing)


@bp.get("/events/<slug>")
def event_page(slug):
    event = services.get_portal_event(slug)
    return render_template("portal/event.html", event=event, description=render_markdown(event.description_md))


@bp.get("/events/<slug>/calendar.ics")
def event_calendar(slug):
    event = services.get_portal_event(slug)
    response = Response(calendar_for([event], event.title), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@bp.get("/media/covers/<name>")
def cover_image(name):
    return send_upload(services.covers_dir(), name, max_age=86400)
