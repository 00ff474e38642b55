"""The application as a whole: configuration, migrations, security headers, error pages."""
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from eventhub import config, create_app
from eventhub.extensions import db


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_have_a_single_head(app):
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


def test_schema_is_at_the_head_revision(app):
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == script.get_current_head()


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTHUB_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.ensure_secret_key(config.from_environment(str(tmp_path)), str(tmp_path))


def test_production_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTHUB_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/eventhub")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.vn")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("EVENTHUB_TIMEZONE", "Asia/Bangkok")
    settings = config.from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/eventhub"
    assert settings["MAIL_SERVER"] == "smtp.example.vn" and settings["MAIL_PORT"] == 587
    assert settings["MAIL_USE_TLS"] is True
    assert settings["EVENTHUB_TIMEZONE"] == "Asia/Bangkok"
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_defaults_are_sqlite_in_instance_and_vietnam_time(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "EVENTHUB_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    settings = config.from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/eventhub.db"
    assert settings["EVENTHUB_TIMEZONE"] == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize("name, value, message", [
    ("EVENTHUB_TIMEZONE", "Mars/Olympus", "time zone"),
    ("EVENTHUB_ENV", "staging", "EVENTHUB_ENV"),
    ("MAIL_PORT", "smtp", "MAIL_PORT"),
])
def test_bad_settings_are_named(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=message):
        config.from_environment(str(tmp_path))


def test_development_keeps_a_generated_secret_between_starts(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTHUB_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.from_environment(str(tmp_path))
    config.ensure_secret_key(first, str(tmp_path))
    second = config.from_environment(str(tmp_path))
    config.ensure_secret_key(second, str(tmp_path))
    assert first["SECRET_KEY"] and first["SECRET_KEY"] == second["SECRET_KEY"]


def test_wsgi_app_starts_in_a_fresh_process_with_production_settings(tmp_path):
    code = "import wsgi; print(wsgi.app.config['EVENTHUB_ENV'])"
    env = {"EVENTHUB_ENV": "production", "SECRET_KEY": "x" * 32, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0",
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.strip() == "production", result.stderr
    env.pop("SECRET_KEY")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_page_is_a_vietnamese_404_page(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy nội dung bạn yêu cầu." in response.get_data(as_text=True)


def test_unknown_api_route_is_a_json_404(client):
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_unexpected_errors_become_a_500_page_without_details(app):
    crashing = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @crashing.get("/__boom")
    def boom():
        raise RuntimeError("secret internals")

    response = crashing.test_client().get("/__boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "secret internals" not in page and "Đã có lỗi hệ thống" in page


def test_sqlite_enforces_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
