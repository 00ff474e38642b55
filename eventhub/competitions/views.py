"""The competitions blueprint: the routes live in entries/views.py (teams and the organiser's set-up),
judging/views.py (jury, rounds, the judge's phone page) and results/views.py (results, prizes, export)."""
from flask import Blueprint

bp = Blueprint("competitions", __name__)

from .entries import views as _entries_views  # noqa: E402,F401  (routes register on bp)
from .judging import views as _judging_views  # noqa: E402,F401
from .results import views as _results_views  # noqa: E402,F401
