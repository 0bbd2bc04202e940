"""The measuring parts of ``make bench`` (``bench.py``): browsers signed in through the login
form, clients run at once, a page's statements recorded and replayed on the bare driver,
gunicorn started as ``make run`` starts it, and the memory of processes."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

import neo4j

from graph.database import ConnectionSettings, count_round_trips
from graph.local_neo4j import free_port

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One browser: its own cookies, signed in through the login form."""

    def __init__(self, base: str, password: str) -> None:
        self.base, self.password = base, password
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, bytes, float | None, float]:
        from webui.timing import server_time_ms

        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=300) as response:
                body, status, headers = response.read(), response.status, response.headers
        except urllib.error.HTTPError as exc:
            body, status, headers = exc.read(), exc.code, exc.headers
        client_ms = (time.perf_counter() - start) * 1000
        return status, body, server_time_ms(headers.get("Server-Timing")), client_ms

    def sign_in(self, email: str) -> None:
        _, body, _, _ = self.get("/connexion")
        token = CSRF.search(body.decode()).group(1)
        data = urllib.parse.urlencode({"email": email, "password": self.password,
                                       "csrf_token": token}).encode()  # fmt: skip
        with self.opener.open(self.base + "/connexion", data=data, timeout=60) as response:
            if response.url.rstrip("/").endswith("/connexion"):
                raise RuntimeError(f"sign-in refused for {email}")


def record_statements(app, email: str, password: str, url: str) -> list[tuple[str, dict, bool]]:
    """The statements ``url`` sends for a signed-in ``email``, on its second load (the first
    fills the caches a warm worker has)."""
    client = app.test_client()
    form = {"email": email, "password": password}
    token = CSRF.search(client.get("/connexion").get_data(as_text=True))
    if token:
        form["csrf_token"] = token.group(1)
    assert client.post("/connexion", data=form).status_code == 302, email
    assert client.get(url).status_code == 200, url
    with count_round_trips(record=True) as recorded:
        assert client.get(url).status_code == 200, url
    return recorded.statements


def replay(driver: neo4j.Driver, statements: list[tuple[str, dict, bool]]) -> float:
    """Milliseconds the raw driver takes for ``statements``: the reads in one read
    transaction, the writes in one write transaction committed, as the page commits them.

    The writes of the pages measured are the audit of a consultation (a person's page writes
    who viewed it), which the page commits in a transaction of its own: rolled back, the raw
    side would skip the commit (the transaction log written to disk) that the page pays. Their
    uids come from the server (``randomUUID()``), so a replay never repeats one."""
    reads = [(q, p) for q, p, writes in statements if not writes]
    writes = [(q, p) for q, p, w in statements if w]
    start = time.perf_counter()
    if reads:
        with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
            with session.begin_transaction() as tx:
                for query, params in reads:
                    tx.run(query, params).consume()
                tx.commit()
    if writes:
        with driver.session() as session:
            with session.begin_transaction() as tx:
                for query, params in writes:
                    tx.run(query, params).consume()
                tx.commit()
    return (time.perf_counter() - start) * 1000


def concurrently(clients: int, requests: int, action: Callable[[int], object]) -> list:
    """``action(client)`` ``requests`` times by each of ``clients`` threads at once."""
    barrier = threading.Barrier(clients)

    def one(client: int) -> list:
        barrier.wait()
        return [action(client) for _ in range(requests)]

    with ThreadPoolExecutor(clients) as pool:
        return [result for batch in pool.map(one, range(clients)) for result in batch]


def raw_driver(settings: ConnectionSettings) -> neo4j.Driver:
    """The baseline: the official driver alone, configured as ``graph.database`` configures
    the app's (no notification for a property key not in the database yet)."""
    return neo4j.GraphDatabase.driver(
        settings.uri, auth=(settings.user, settings.password), max_connection_pool_size=64,
        notifications_disabled_classifications=[
            neo4j.NotificationDisabledClassification.UNRECOGNIZED
        ],
    )  # fmt: skip


def serve(
    stack: ExitStack, var: Path, settings: ConnectionSettings, workers: str
) -> tuple[str, subprocess.Popen]:
    """gunicorn as ``make run`` starts it, on a free port; returns its base URL."""
    from webui.serve import gunicorn_command

    port = free_port()
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "TANSIQ_SERVER_TIMING": "1",
           "TANSIQ_VAR_DIR": str(var)}  # fmt: skip
    log = stack.enter_context(open(var / "gunicorn.log", "wb"))
    server = subprocess.Popen(
        gunicorn_command(port, workers, var), env=env, stdout=log, stderr=subprocess.STDOUT,
        cwd=ROOT,
    )  # fmt: skip

    def stop() -> None:
        server.terminate()
        server.wait(30)

    stack.callback(stop)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 120
    while True:  # ready when /sante answers
        try:
            with urllib.request.urlopen(base + "/sante", timeout=5) as response:
                if response.status == 200:
                    return base, server
        except (urllib.error.URLError, ConnectionError):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start; see {var / 'gunicorn.log'}")
        time.sleep(0.2)


def status_bytes(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split(field + ":")[1].split()[0]) * 1024


def store_size(directory: Path) -> int:
    return sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())


def app_peak(server: subprocess.Popen) -> dict:
    import psutil

    workers = psutil.Process(server.pid).children()
    peaks = [status_bytes(w.pid, "VmHWM") for w in workers]
    return {"app_peak_bytes": max(peaks), "app_workers": len(peaks)}
