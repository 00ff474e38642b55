"""A throw-away PostgreSQL server for the test run: initdb into a temp dir as a non-root user,
listen on a free loopback port, remove everything afterwards."""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .database import RAM_DIRECTORY


def _bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    preferred = [c for c in candidates if Path(c).parent.name == "15"] + candidates
    for candidate in preferred:
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL server binaries not found; `make test` installs them with apt")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runner() -> tuple[list[str], int | None, int | None]:
    """initdb refuses to run as root: run the server as an unprivileged user then."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root and no unprivileged user to run PostgreSQL")


class PostgresServer:
    """A throw-away server: its URL, and a restart for tests of what clients see while it is away."""

    def __init__(self, run, bindir: Path, data: Path, workdir: Path, options: str, port: int):
        self.run, self.bindir, self.data, self.workdir, self.options = run, bindir, data, workdir, options
        self.url = f"postgresql+psycopg://eventhub@127.0.0.1:{port}/eventhub_test"

    def start(self) -> None:
        self.run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.workdir / "server.log", "-o", self.options,
                 "-w", "start")

    def stop(self) -> None:
        """Like a crash or a failover: connections are cut at once, nothing waits for them."""
        self.run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")


@contextmanager
def postgres_instance(*, synchronous_commit: bool = False):
    """A server of its own; `synchronous_commit` when a test stops it abruptly and counts on every acknowledged
    commit (off, a crash loses the last ones, which is all right for a database thrown away)."""
    bindir = _bindir()
    prefix, uid, gid = _runner()
    workdir = Path(tempfile.mkdtemp(prefix="eventhub-pg-", dir=RAM_DIRECTORY))
    data = workdir / "data"
    if uid is not None:
        os.chown(workdir, uid, gid)
    port = _free_port()
    run = lambda *args: subprocess.run(prefix + [str(a) for a in args], check=True, capture_output=True, cwd=workdir)  # noqa: E731
    try:
        run(bindir / "initdb", "-D", data, "-U", "eventhub", "--auth=trust", "-E", "UTF8", "--locale=C")
        # Durability and JIT compilation of queries buy nothing for a database thrown away after the run.
        options = (f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off "
                   f"-c synchronous_commit={'on' if synchronous_commit else 'off'} "
                   f"-c full_page_writes=off -c jit=off -c max_connections=200")
        server = PostgresServer(run, bindir, data, workdir, options, port)
        server.start()
        run(bindir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "eventhub", "eventhub_test")
        yield server
    except subprocess.CalledProcessError as error:
        log = workdir / "server.log"
        details = log.read_text() if log.exists() else ""
        raise RuntimeError(f"PostgreSQL failed: {error.stderr.decode()}\n{details}") from error
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, cwd=workdir)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def postgres_server():
    with postgres_instance() as server:
        yield server.url
