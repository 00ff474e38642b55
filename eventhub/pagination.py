"""One pagination rule for pages and API alike."""
from flask import request

from .extensions import db

MAX_PER_PAGE = 100


def page_args(default_per_page: int) -> tuple[int, int]:
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default_per_page, type=int) or default_per_page
    return max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)


def paginate(query, default_per_page: int):
    page, per_page = page_args(default_per_page)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
