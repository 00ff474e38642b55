"""Live check-in counts and printable badges."""
from flask import Blueprint

bp = Blueprint("checkin_dashboard", __name__)
