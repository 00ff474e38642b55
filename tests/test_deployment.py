"""The README's deployment, run for real: deploy/nginx.conf (Debian's nginx) in front of gunicorn with
gunicorn.conf.py — TLS, the forwarded scheme (HSTS), the body limit, slow clients cut by nginx, no ticket key in
nginx's access log."""
import datetime as dt
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.server import REPO_ROOT, free_port, gunicorn_server

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx-light)")


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _site(app_port: int, https_port: int, http_port: int, directory: Path) -> str:
    """deploy/nginx.conf as shipped, with only its addresses and paths pointed at this test's."""
    cert, key = _certificate(directory)
    site = (REPO_ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {"server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
                    "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                    "listen 80;": f"listen 127.0.0.1:{http_port};",
                    "/etc/ssl/eventhub/fullchain.pem": str(cert), "/etc/ssl/eventhub/privkey.pem": str(key),
                    "/var/log/nginx/eventhub.access.log": str(directory / "access.log")}
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    return site


def _main_config(directory: Path, site: str) -> Path:
    (directory / "site.conf").write_text(site)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    config = directory / "nginx.conf"
    config.write_text(f"""{user}worker_processes 1;
error_log {directory}/error.log warn;
pid {directory}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi; uwsgi_temp_path {directory}/uwsgi; scgi_temp_path {directory}/scgi;
    include {directory}/site.conf;
}}
""")
    return config


def _wait_for(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def test_the_shipped_nginx_config_is_valid(tmp_path):
    config = _main_config(tmp_path, _site(free_port(), free_port(), free_port(), tmp_path))
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_nginx_in_front_of_gunicorn(app, database_url, factory, tmp_path):
    event = factory.event(factory.organisation(), publish=True)
    registration = factory.registration(event, factory.category(event))
    https_port, http_port = free_port(), free_port()
    env = {"SECRET_KEY": app.config["SECRET_KEY"], "TRUST_PROXY_HOPS": "1", "SESSION_COOKIE_SECURE": "true",
           "PUBLIC_BASE_URL": f"https://localhost:{https_port}"}
    with gunicorn_server(database_url, workers=2, threads=2, env=env) as base_url:
        app_port = int(base_url.rsplit(":", 1)[1])
        config = _main_config(tmp_path, _site(app_port, https_port, http_port, tmp_path))
        nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            _wait_for(https_port)
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

            def request(method, path, body=None, headers=None):
                connection = http.client.HTTPSConnection("127.0.0.1", https_port, context=context, timeout=30)
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                response.read()
                connection.close()
                return response

            page = request("GET", f"/tickets/{registration.access_key}")
            assert page.status == 200
            assert page.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
            too_big = request("POST", "/api/v1/portal/events/x/registrations", body=b"x" * (12 * 1024 * 1024),
                              headers={"Content-Type": "application/json"})
            assert too_big.status == 413
            plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
            plain.request("GET", "/events")
            redirect = plain.getresponse()
            assert redirect.status == 301 and redirect.getheader("Location").startswith("https://")
            # A client that sends half a request and waits is nginx's problem, not a worker's.
            slow = socket.create_connection(("127.0.0.1", https_port))
            slow = context.wrap_socket(slow)
            slow.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            assert request("GET", "/").status == 200
            slow.close()
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    log = (tmp_path / "access.log").read_text()
    assert re.search(r'"GET /tickets/\[key\]" 200', log) and registration.access_key not in log
