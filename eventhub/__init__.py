"""EventHub: events, registration, check-in, booths, scheduling and reports for startup ecosystems."""
import os
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import config


class EventHub(Flask):
    """Absolute URLs (links in pages, the API's public_url, calendars) come only from PUBLIC_BASE_URL, never from the
    request's Host header, which anyone can write."""

    def create_url_adapter(self, request):
        adapter = super().create_url_adapter(request)
        if request is not None and adapter is not None and self.config.get("PUBLIC_BASE_URL"):
            public = urlsplit(self.config["PUBLIC_BASE_URL"])
            adapter.server_name, adapter.url_scheme = public.netloc, public.scheme or adapter.url_scheme
        return adapter


def create_app(test_config: dict | None = None) -> Flask:
    app = EventHub(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=True)
    from .jsonbody import StrictJsonRequest

    app.request_class = StrictJsonRequest
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    config.ensure_secret_key(app.config, app.instance_path)
    config.ensure_shared_rate_limits(app.config)
    if app.config["TRUST_PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUST_PROXY_HOPS"],
                                x_proto=app.config["TRUST_PROXY_HOPS"])

    app.json.ensure_ascii = False
    from . import models  # noqa: F401  (the whole schema, for Alembic and relationships)

    _init_extensions(app)
    _register_blueprints(app)

    from .cli import register_commands
    from .errors import register_error_handlers
    from .i18n import register_template_filters
    from .jsonbody import register_body_check
    from .pagination import page_url
    from .security import register_security_headers

    register_error_handlers(app)
    register_template_filters(app)
    app.add_template_global(page_url)
    register_commands(app)
    register_security_headers(app)
    register_body_check(app)
    return app


def _init_extensions(app: Flask) -> None:
    from .accounts.services import load_session_user
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "warning"
    login_manager.user_loader(load_session_user)
    from flask_babel import lazy_gettext as _l
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    _configure_sqlite(app, db)


def _configure_sqlite(app: Flask, db) -> None:
    """SQLite enforces foreign keys only when asked, and waits for a busy writer instead of failing."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    import sqlalchemy as sa

    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL never corrupts the file; a power cut (not a crash of the application) may lose the
        # last commits. FULL syncs the disk at every commit, which costs more than the rest of a check-in.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every route stops at the largest id a database column holds: bigger is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        from .params import MAX_DB_ID

        kwargs.setdefault("max", MAX_DB_ID)
        super().__init__(url_map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    from .accounts import api as _accounts_api  # noqa: F401  (routes register on the API blueprint)
    from .accounts.views import bp as accounts_bp
    from .api import bp as api_bp
    from .booths.allocation import api as _booth_allocation_api  # noqa: F401
    from .booths.allocation.views import bp as booth_allocation_bp
    from .booths.applications import api as _booth_applications_api  # noqa: F401
    from .booths.applications.portal import bp as exhibitors_bp
    from .booths.applications.views import bp as booth_review_bp
    from .booths.directory import api as _booth_directory_api  # noqa: F401
    from .booths.directory.views import bp as booths_public_bp
    from .booths.floorplan import api as _booths_api  # noqa: F401
    from .booths.floorplan.views import bp as booths_plan_bp
    from .booths.selfbooking import api as _booth_selfbooking_api  # noqa: F401
    from .broadcasts.views import bp as broadcasts_bp
    from .certificates import api as _certificates_api  # noqa: F401
    from .certificates.public import bp as certificates_public_bp
    from .certificates.views import bp as certificates_bp
    from .checkin import api as _checkin_api  # noqa: F401
    from .checkin.dashboard import bp as checkin_dashboard_bp
    from .checkin.views import bp as checkin_bp
    from .competitions.entries import api as _competition_entries_api  # noqa: F401
    from .competitions.judging import api as _competition_judging_api  # noqa: F401
    from .competitions.results import api as _competition_results_api  # noqa: F401
    from .competitions.views import bp as competitions_bp
    from .events import api as _events_api  # noqa: F401
    from .events.portal import bp as portal_bp
    from .events.views import bp as manage_bp
    from .extensions import csrf
    from .mail import api as _mail_api  # noqa: F401
    from .mail.views import bp as mail_bp
    from .mail.views import hooks as mail_hooks_bp
    from .registration import api as _registration_api  # noqa: F401
    from .registration.admin import bp as participant_groups_bp
    from .registration.admin import personal_data_bp
    from .registration.imports import bp as registrations_io_bp
    from .registration.manage import bp as registrations_bp
    from .registration.views import bp as registration_bp
    from .reports import api as _reports_api  # noqa: F401
    from .reports.downloads import bp as reports_exports_bp
    from .reports.issued import api as _reports_issued_api  # noqa: F401
    from .reports.issued.views import bp as reports_issued_bp
    from .reports.plan_tasks import api as _plan_tasks_api  # noqa: F401
    from .reports.plan_tasks.views import bp as plan_tasks_bp
    from .reports.rounds import api as _reporting_rounds_api  # noqa: F401
    from .reports.rounds.views import bp as reporting_rounds_bp
    from .reports.statistics import bp as reports_stats_bp
    from .reports.views import bp as reports_bp
    from .scheduling import api as _scheduling_api  # noqa: F401
    from .scheduling import changes as _scheduling_changes  # noqa: F401  (listens to agenda changes)
    from .scheduling.feeds import bp as agenda_feeds_bp
    from .scheduling.public import bp as agenda_public_bp
    from .scheduling.views import bp as agenda_bp

    csrf.exempt(api_bp)  # token-authenticated; session cookies are never accepted there
    for blueprint in (portal_bp, accounts_bp, manage_bp, registration_bp, registrations_bp, registrations_io_bp,
                      mail_bp, participant_groups_bp, checkin_bp, checkin_dashboard_bp, booths_plan_bp,
                      booths_public_bp, exhibitors_bp, booth_review_bp, booth_allocation_bp, agenda_bp,
                      agenda_public_bp, agenda_feeds_bp, reports_stats_bp, reports_bp, reports_exports_bp,
                      reports_issued_bp, plan_tasks_bp, reporting_rounds_bp, certificates_bp, certificates_public_bp,
                      competitions_bp, mail_hooks_bp, broadcasts_bp, api_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(personal_data_bp)
