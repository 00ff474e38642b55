"""Settings: defaults first, then environment variables. Nothing else configures the app."""
import json
import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("production", "development", "testing")
SECRET_KEY_MIN_LENGTH = 32


class ConfigError(RuntimeError):
    """The environment does not describe a runnable application."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_uri(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver, whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_environment(instance_path: str, environ=os.environ) -> dict:
    env = environ.get("EVENTHUB_ENV", "production").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"EVENTHUB_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    timezone = environ.get("EVENTHUB_TIMEZONE", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"EVENTHUB_TIMEZONE {timezone!r} is not a known time zone") from exc
    production = env == "production"
    default_db = f"sqlite:///{Path(instance_path) / 'eventhub.db'}"
    mail_port = environ.get("MAIL_PORT", "25")
    if not mail_port.isdigit():
        raise ConfigError("MAIL_PORT must be a port number")
    return {
        "EVENTHUB_ENV": env,
        "SECRET_KEY": environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": database_uri(environ.get("DATABASE_URL") or default_db),
        # A pooled connection is tested before use and replaced after half an hour, so a database that restarted
        # (or a proxy that dropped idle connections) costs no request an error.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_recycle": 1800},
        "EVENTHUB_TIMEZONE": timezone,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": timezone,
        "LANGUAGES": ("vi", "en"),
        "MAIL_SERVER": environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(mail_port),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag(environ.get("MAIL_USE_TLS"), False),
        "MAIL_USE_SSL": _flag(environ.get("MAIL_USE_SSL"), False),
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "EventHub <no-reply@eventhub.local>"),
        "UPLOAD_FOLDER": environ.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads"),
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)),
        "COVER_IMAGE_MAX_BYTES": int(environ.get("COVER_IMAGE_MAX_BYTES", 5 * 1024 * 1024)),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI") or ("" if production else "memory://"),
        "RATELIMIT_ENABLED": _flag(environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_KEY_PREFIX": environ.get("RATELIMIT_KEY_PREFIX", "eventhub"),
        # The one answer on a storage failure: refuse (never let every attempt through when Redis is down).
        "RATELIMIT_SWALLOW_ERRORS": False,
        "LOGIN_RATE_LIMIT": environ.get("LOGIN_RATE_LIMIT", "5 per minute;30 per hour"),
        # Per account (the e-mail tried, the signed-in user, the contact registered), whatever the address.
        "ACCOUNT_RATE_LIMIT": environ.get("ACCOUNT_RATE_LIMIT", "10 per 15 minutes;50 per day"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(environ.get("SESSION_COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_SECURE": _flag(environ.get("SESSION_COOKIE_SECURE"), production),
        "TRUST_PROXY_HOPS": int(environ.get("TRUST_PROXY_HOPS", "0")),
        "EVENTS_PER_PAGE": 12,
        "PUBLIC_BASE_URL": environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "ICS_UID_DOMAIN": environ.get("ICS_UID_DOMAIN", "eventhub.local"),
        "TICKET_SIGNING_KEY": environ.get("TICKET_SIGNING_KEY") or None,
        "REGISTRATION_RATE_LIMIT": environ.get("REGISTRATION_RATE_LIMIT", "10 per minute;100 per hour"),
        "VERIFY_RATE_LIMIT": environ.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour"),
        "OUTBOX_INTERVAL_SECONDS": int(environ.get("OUTBOX_INTERVAL_SECONDS", "20")),
        **_channel_settings(environ),
        "CONSENT_VERSION": environ.get("CONSENT_VERSION", "2025-07-01"),
        # The least time between showing a public form and sending it: faster is a bot, not a person.
        "PUBLIC_FORM_MIN_SECONDS": float(environ.get("PUBLIC_FORM_MIN_SECONDS", "3")),
        # Not read from the environment: only the test suite may trade the strong hash for speed.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1" if env == "testing" else "scrypt",
    }


def _channel_settings(environ) -> dict:
    """SMS through Kannel's sendsms, Zalo ZNS; a channel with no URL is off and its messages wait in the outbox."""
    try:
        templates = json.loads(environ.get("ZNS_TEMPLATES") or "{}")
        retry_hours = int(environ.get("OUTBOX_RETRY_HOURS", "48"))
    except ValueError as exc:
        raise ConfigError("ZNS_TEMPLATES must be a JSON object and OUTBOX_RETRY_HOURS a number") from exc
    return {
        "OUTBOX_RETRY_HOURS": retry_hours,
        "OUTBOX_ALERT_PHONES": [p.strip() for p in environ.get("OUTBOX_ALERT_PHONES", "").split(",") if p.strip()],
        "KANNEL_SENDSMS_URL": environ.get("KANNEL_SENDSMS_URL", ""),
        "KANNEL_USERNAME": environ.get("KANNEL_USERNAME", ""),
        "KANNEL_PASSWORD": environ.get("KANNEL_PASSWORD", ""),
        "SMS_SENDER": environ.get("SMS_SENDER", ""),
        "SMS_HOOK_TOKEN": environ.get("SMS_HOOK_TOKEN", ""),  # empty: derived from SECRET_KEY
        "ZNS_API_URL": environ.get("ZNS_API_URL", ""),
        "ZNS_TIMEOUT": float(environ.get("ZNS_TIMEOUT", "10")),
        "ZNS_TEMPLATES": templates if isinstance(templates, dict) else {},
        "ZALO_OAUTH_URL": environ.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4"),
        "ZALO_APP_ID": environ.get("ZALO_APP_ID", ""),
        "ZALO_SECRET_KEY": environ.get("ZALO_SECRET_KEY", ""),
        "ZALO_ACCESS_TOKEN": environ.get("ZALO_ACCESS_TOKEN", ""),
        "ZALO_REFRESH_TOKEN": environ.get("ZALO_REFRESH_TOKEN", ""),
    }


def ensure_shared_rate_limits(config: dict) -> None:
    """Several workers (and machines) must count one limit together: production keeps limits in Redis."""
    if config["EVENTHUB_ENV"] != "production" or not config["RATELIMIT_ENABLED"]:
        return
    if not config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://", "redis+unix://", "redis+sentinel://")):
        raise ConfigError("RATELIMIT_STORAGE_URI must name a Redis server in production (redis://host:6379/0), "
                          "so that every worker counts the same limits")


def ensure_secret_key(config: dict, instance_path: str) -> None:
    """Production refuses to run without SECRET_KEY; development keeps a generated one in instance/."""
    if config.get("SECRET_KEY"):
        if config["EVENTHUB_ENV"] == "production" and len(config["SECRET_KEY"]) < SECRET_KEY_MIN_LENGTH:
            raise ConfigError(f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters in production "
                              "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')")
        return
    if config["EVENTHUB_ENV"] == "production":
        raise ConfigError("SECRET_KEY must be set in production (EVENTHUB_ENV=production)")
    key_file = Path(instance_path) / "dev-secret-key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
    config["SECRET_KEY"] = key_file.read_text().strip()
