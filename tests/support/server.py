"""The real application under gunicorn, with several worker processes, on a free loopback port:
for tests and benchmarks that need true concurrency (separate processes, separate connections)."""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
READY_PATH = "/api/v1/ticket-signing-key"  # answers without touching the database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen, timeout: float) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # SIGTERM: gunicorn stops its workers gracefully
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


@contextmanager
def gunicorn_server(database_url: str, *, app: str = "wsgi:app", workers: int = 4, threads: int = 8,
                    worker_class: str = "gthread", env: dict | None = None, log_file: str | os.PathLike | None = None,
                    startup_timeout: float = 60, stop_timeout: float = 15):
    """Run `gunicorn <app>` from the repository root against `database_url` and yield its base URL
    (http://127.0.0.1:<port>). Production settings, no rate limits, plain-HTTP cookies. The server's
    output goes to `log_file` (a temporary file when not given; its tail is shown if start-up fails)."""
    port = free_port()
    own_log = log_file is None
    log_path = Path(tempfile.mkstemp(prefix="eventhub-gunicorn-", suffix=".log")[1]) if own_log else Path(log_file)
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"EVENTHUB_TEST_DB", "TEST_DATABASE_URL"}}
    environment.update({
        "EVENTHUB_ENV": "production",
        "SECRET_KEY": "eventhub-test-server-secret-32-characters",
        "DATABASE_URL": database_url,
        "SESSION_COOKIE_SECURE": "false",
        "RATELIMIT_ENABLED": "false",
        "REGISTRATION_RATE_LIMIT": "1000000 per minute",
        "LOGIN_RATE_LIMIT": "1000000 per minute",
        "ACCOUNT_RATE_LIMIT": "1000000 per minute",
        "PUBLIC_FORM_MIN_SECONDS": "0",
        "GUNICORN_ACCESS_LOG": "",  # tests read the log for tracebacks only
        "GUNICORN_MAX_REQUESTS": "0",
        "PYTHONUNBUFFERED": "1",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",  # absolute links come only from it, never from Host
    })
    environment.update(env or {})
    command = [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", worker_class, "--threads", str(threads), "--keep-alive", "30",
               "--backlog", "2048", "--timeout", "60", "--graceful-timeout", str(int(stop_timeout)),
               "--log-level", "warning", "--chdir", str(REPO_ROOT), app]
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + startup_timeout
        while not _answers(base_url + READY_PATH):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {startup_timeout:.0f} s:\n{_tail(log_path)}")
            time.sleep(0.1)
        yield base_url
    finally:
        _stop(process, stop_timeout)
        if own_log:
            log_path.unlink(missing_ok=True)


class JsonClient:
    """One keep-alive HTTP/1.1 connection (use one per thread) that sends and reads JSON. A request
    is sent again only when a reused connection turns out to be closed by the server before it
    answered (gunicorn's keep-alive expiry), never after a fresh connection fails."""

    RECONNECT_ERRORS = (http.client.RemoteDisconnected, http.client.CannotSendRequest, BrokenPipeError,
                        ConnectionResetError, ConnectionAbortedError)

    def __init__(self, base_url: str, timeout: float = 60):
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, object]:
        """(status, decoded JSON or the raw text when the answer is not JSON)."""
        payload = None if body is None else json.dumps(body).encode()
        sent_headers = {"Accept": "application/json", **(headers or {})}
        if payload is not None:
            sent_headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=payload, headers=sent_headers)
                response = self.connection.getresponse()
                data = response.read()
            except self.RECONNECT_ERRORS:
                self.close()
                if reused and attempt == 1:
                    continue
                raise
            except Exception:
                self.close()
                raise
            if response.will_close:
                self.close()
            text = data.decode("utf-8", errors="replace")
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def all_at_once(base_url: str, requests: list[tuple[str, dict, str]]) -> list[tuple[int, object]]:
    """POST every (path, body, token) from its own client thread; the threads wait on a barrier, then fire."""
    barrier = threading.Barrier(len(requests))

    def send(request):
        path, body, token = request
        client = JsonClient(base_url)
        client.request("GET", "/api/v1/ticket-signing-key")  # open the connection before the barrier
        barrier.wait(timeout=60)
        try:
            return client.request("POST", path, body, {"Authorization": f"Bearer {token}"})
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))
