"""Organiser pages for check-in lists and devices, and the scanner page."""
from flask import Blueprint

bp = Blueprint("checkin", __name__)
