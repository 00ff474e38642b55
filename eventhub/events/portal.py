"""The public portal: browse, filter and read published events."""
from flask import Blueprint, Response, current_app, render_template, request, send_from_directory
from flask_babel import gettext as _

from ..forms import choices
from ..pagination import paginate
from ..text import render_markdown
from . import services
from .forms import PortalSearchForm
from .ics import calendar_for
from .models import EventType

bp = Blueprint("portal", __name__)


def read_portal_filters() -> tuple[PortalSearchForm, services.PortalFilters]:
    """Parse the portal's query string; a value that does not validate is dropped, never an error."""
    form = PortalSearchForm(request.args)
    form.event_type.choices = choices([("", _("Tất cả"))] + [(t.value, t.label) for t in EventType])
    form.province.choices = choices([("", _("Tất cả"))] + [(p, p) for p in services.portal_provinces()])
    form.validate()
    value = lambda field: None if field.errors else (field.data or None)  # noqa: E731
    event_type = value(form.event_type)
    filters = services.PortalFilters(
        q=value(form.q), event_type=EventType(event_type) if event_type else None, province=value(form.province),
        date_from=value(form.date_from), date_to=value(form.date_to), include_past=bool(form.include_past.data),
    )
    return form, filters


@bp.get("/")
def index():
    form, filters = read_portal_filters()
    events = paginate(services.portal_query(filters), current_app.config["EVENTS_PER_PAGE"])
    return render_template("portal/index.html", form=form, events=events)


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
    return send_from_directory(services.covers_dir(), name, max_age=86400)
