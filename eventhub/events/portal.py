"""The public portal: browse, filter and read published events."""
from flask import Blueprint, Response, current_app, render_template, request

from ..pagination import paginate
from ..text import render_markdown
from ..uploads import send_upload
from . import services
from .forms import PortalSearchForm
from .ics import calendar_for

bp = Blueprint("portal", __name__)


def read_portal_filters() -> tuple[PortalSearchForm, services.PortalFilters]:
    """Parse the portal's query string; a value that does not validate is dropped, never an error."""
    form = PortalSearchForm(request.args).bind(services.portal_provinces())
    form.validate()
    return form, form.to_filters()


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
    return send_upload(services.covers_dir(), name, max_age=86400)
