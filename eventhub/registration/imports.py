"""Bulk import (CSV/XLSX with preview) and exports of the attendee list."""
from flask import Blueprint

bp = Blueprint("registrations_io", __name__, url_prefix="/manage/events/<int:event_id>/registrations")
