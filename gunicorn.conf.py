"""gunicorn settings for production (read from the working directory by `gunicorn wsgi:app`; the command line and
GUNICORN_* variables override them). Behind nginx (deploy/nginx.conf), which buffers slow clients, so a few sync-ish
threaded workers suffice; ticket links never reach the access log."""
import multiprocessing
import os

from gunicorn.glogging import Logger

from eventhub.text import redact_secrets

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Below nginx's proxy_read_timeout (60 s): a stuck request ends here first, with a log line.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# A slow leak never grows forever: each worker is replaced after this many requests (0: never).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
limit_request_line, limit_request_fields, limit_request_field_size = 4094, 100, 8190
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# No query string and no Referer: only the path, with secret links' keys cut out (see RedactingLogger).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class RedactingLogger(Logger):
    """The access log's request line, path and referer without the key of a ticket link (/tickets/<key>)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_secrets(atoms[key])
        return atoms


logger_class = RedactingLogger
