"""What every benchmark here shares: a fresh database of each kind, and a load of concurrent clients."""
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager

from tests.support.server import JsonClient


@contextmanager
def fresh_database(kind: str):
    if kind == "sqlite":
        directory = tempfile.mkdtemp(prefix="eventhub-bench-")
        try:
            yield f"sqlite:///{directory}/bench.db"
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    else:
        from tests.support.postgres import postgres_server

        with postgres_server() as url:
            yield url


def fire(base_url: str | list[str], bodies: list[tuple[str, dict]], clients: int, tokens: list[str] | None = None,
         wait_for: list[int | None] | None = None) -> dict:
    """Send every (path, body) once, in order, from `clients` threads with one keep-alive connection each
    (and, given `tokens`, one bearer token each); given several base URLs (app instances), the clients are
    spread over them in turn. A body whose `wait_for` is an index is sent only after that one was answered.
    Latencies are per request as the clients saw them."""
    lock = threading.Lock()
    pending = iter(range(len(bodies)))
    results: list = [None] * len(bodies)
    answered = [threading.Event() for _ in bodies] if wait_for else None
    urls = [base_url] if isinstance(base_url, str) else base_url
    connections = [JsonClient(urls[number % len(urls)]) for number in range(clients)]
    for connection in connections:  # connect (and warm every worker up) before the clock starts
        connection.request("GET", "/api/v1/ticket-signing-key")
    start_line = threading.Barrier(clients + 1)

    def client(number: int, connection: JsonClient):
        headers = {"Authorization": f"Bearer {tokens[number % len(tokens)]}"} if tokens else {}
        start_line.wait()
        while True:
            with lock:
                index = next(pending, None)
            if index is None:
                break
            if wait_for and wait_for[index] is not None:
                answered[wait_for[index]].wait(timeout=120)
            path, body = bodies[index]
            began = time.perf_counter()
            try:
                status, answer = connection.request("POST", path, body, headers)
            except Exception as error:  # noqa: BLE001  (an exception is one more error to count)
                status, answer = None, repr(error)
            results[index] = (status, answer, time.perf_counter() - began)
            if answered:
                answered[index].set()
        connection.close()

    threads = [threading.Thread(target=client, args=(n, c)) for n, c in enumerate(connections)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies = sorted(r[2] for r in results)

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, max(0, int(round(share * len(latencies))) - 1))] * 1000

    return {"results": results, "elapsed": elapsed, "per_second": len(bodies) / elapsed,
            "p50_ms": percentile(0.50), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99)}
