"""A real Kannel for the test run: bearerbox with a `fake` SMSC, smsbox with its sendsms HTTP interface,
and Kannel's own test SMSC client `fakesmsc` (Debian packages kannel, kannel-extras), all on free loopback
ports. `Kannel.received()` reads what reached the phone side; delivery reports and replies go to a small
HTTP listener, whose requests a test replays to the app (the same URL Kannel called)."""
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote_plus, unquote_to_bytes

from .smtp import free_port

FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
USERNAME, PASSWORD = "eventhub", "kannel-test"


def available() -> bool:
    return bool(shutil.which("bearerbox") or Path("/usr/sbin/bearerbox").exists()) and Path(FAKESMSC).exists()


class Callbacks:
    """What Kannel calls back: the path and query of each request, in order."""

    def __init__(self):
        self.requests: list[str] = []
        self.lock = threading.Lock()

    def wait_for(self, count: int, timeout: float = 15) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.05)
        with self.lock:
            return list(self.requests)


def _listener(callbacks: Callbacks):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            with callbacks.lock:
                callbacks.requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Kannel:
    def __init__(self, directory: Path, sendsms_port: int, callbacks: Callbacks, callback_base: str):
        self.directory, self.callbacks, self.callback_base = directory, callbacks, callback_base
        self.sendsms_url = f"http://127.0.0.1:{sendsms_port}/cgi-bin/sendsms"

    def received(self) -> list[dict]:
        """The messages fakesmsc got, concatenated parts joined: from, to, type (text or ucs-2), the decoded
        text and the number of parts. fakesmsc logs "Got message N: <from to type data>", and for a part
        "<from to udh UDH type data>"."""
        found, pending = [], {}
        log = (self.directory / "fakesmsc.log").read_text(errors="replace")
        for sender, to, kind, rest in re.findall(r"Got message \d+: <([^ ]*) ([^ ]+) ([\w-]+) (.*)>", log):
            udh = None
            if kind == "udh":
                udh_text, kind, rest = rest.split(" ", 2)
                udh = unquote_to_bytes(udh_text)
            raw = unquote_to_bytes(rest.replace("+", " "))
            if kind == "data" and len(raw) % 2 == 0 and raw[0::2].count(0) * 3 > len(raw) // 2:
                kind = "ucs-2"  # a part's coding is not logged; UCS-2 text has a zero in most high bytes
            if kind == "ucs-2":
                text = raw.decode("utf-16-be")
            else:
                text = unquote_plus(rest, encoding="latin-1")
            if udh is None or len(udh) < 6:
                found.append({"from": sender, "to": to, "type": kind, "text": text, "parts": 1})
                continue
            reference, total, number = udh[3], udh[4], udh[5]
            parts = pending.setdefault((to, reference), {})
            parts[number] = text
            if len(parts) == total:
                del pending[(to, reference)]
                found.append({"from": sender, "to": to, "type": kind, "parts": total,
                              "text": "".join(parts[i] for i in sorted(parts))})
        return found

    def wait_received(self, count: int, timeout: float = 15) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received()) < count:
            time.sleep(0.05)
        return self.received()


def _config(ports: dict, directory: Path, mo_url: str) -> str:
    return f"""
group = core
admin-port = {ports['admin']}
admin-password = admin-test
smsbox-port = {ports['smsbox']}
box-allow-ip = 127.0.0.1
admin-allow-ip = 127.0.0.1
log-file = "{directory}/bearerbox.log"
log-level = 0
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
host = 127.0.0.1
port = {ports['smsc']}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {ports['smsbox']}
sendsms-port = {ports['sendsms']}
sendsms-interface = 127.0.0.1
log-file = "{directory}/smsbox.log"
log-level = 0

group = sendsms-user
username = {USERNAME}
password = {PASSWORD}
max-messages = 6
concatenation = true
default-sender = EventHub

group = sms-service
keyword = default
get-url = "{mo_url}&from=%p&text=%a"
max-messages = 0
catch-all = true
"""


def _wait_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Kannel did not open port {port}")


@contextmanager
def kannel(mo_token: str = "test", replies: list[str] | None = None):
    """Start bearerbox, smsbox and fakesmsc; yield a Kannel; stop them (only the processes started here).
    `replies` ("<from> <to> text <words>") are sent by the phone side once, as people answering."""
    if not available():
        raise RuntimeError("Kannel is not installed: apt-get install kannel kannel-extras (make test-prereqs)")
    callbacks = Callbacks()
    listener = _listener(callbacks)
    callback_base = f"http://127.0.0.1:{listener.server_address[1]}"
    directory = Path(tempfile.mkdtemp(prefix="kannel-"))
    ports = {name: free_port() for name in ("admin", "smsbox", "smsc", "sendsms")}
    config = directory / "kannel.conf"
    config.write_text(_config(ports, directory, f"{callback_base}/hooks/sms/incoming?token={mo_token}"))
    processes = []
    try:
        processes.append(subprocess.Popen(["/usr/sbin/bearerbox", str(config)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        _wait_port(ports["admin"])
        processes.append(subprocess.Popen(["/usr/sbin/smsbox", str(config)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        with open(directory / "fakesmsc.log", "w") as log:
            processes.append(subprocess.Popen(
                [FAKESMSC, "-H", "127.0.0.1", "-r", str(ports["smsc"]), "-i", "0.5", "-m", str(len(replies or [])),
                 *(replies or ["84900000000 8088 text hello"])], stdout=log, stderr=subprocess.STDOUT))
        _wait_port(ports["sendsms"])
        yield Kannel(directory, ports["sendsms"], callbacks, callback_base)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        listener.shutdown()
        shutil.rmtree(directory, ignore_errors=True)
