"""What running against a cluster or Aura relies on, checked on the real (single) Neo4j:
units of work are the driver's managed transactions, retried on transient errors (here a
real deadlock) with their writes committed exactly once, not retried on other errors, within
the retry time set by NEO4J_MAX_TRANSACTION_RETRY_TIME; read units of work are opened in
READ access mode (what the driver routes to followers) and follow the writes before them
through the shared bookmark manager, and across processes through the bookmark carried in the
user's session."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from neo4j.exceptions import ClientError, ConstraintError, TransientError

from crm.transactions import reads
from graph import database
from graph.database import run
from tests.integration.conftest import ORIENTAL, OUJDA
from webui import create_app
from webui.extensions import BOOKMARKS_KEY

pytestmark = pytest.mark.integration

DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"


def _count(label: str) -> int:
    return run("MATCH (n:" + label + ") RETURN count(n) AS n")[0]["n"]


def test_a_real_deadlock_is_retried_and_each_write_commits_once(clean_db):
    """Two write transactions lock A then B and B then A: the server kills one of them with a
    DeadlockDetected transient error, the driver runs that unit of work again, and in the end
    each one's writes are there exactly once."""
    run("UNWIND ['A', 'B'] AS key CREATE (:Scratch {key: key, touched: 0})")
    both_hold_their_first_lock = threading.Barrier(2, timeout=30)
    attempts = {"first": 0, "second": 0}
    deadlocks: list[str] = []

    def touch(key: str) -> None:
        run("MATCH (s:Scratch {key: $key}) SET s.touched = s.touched + 1", key=key)

    def unit_of_work(name: str, first: str, then: str) -> str:
        attempts[name] += 1
        touch(first)
        run("CREATE (:ScratchLog {by: $name})", name=name)
        if attempts[name] == 1:
            both_hold_their_first_lock.wait()
        try:
            touch(then)
        except TransientError as exc:
            deadlocks.append(exc.code)
            raise
        return name

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(database.write, unit_of_work, "first", "A", "B")
        second = pool.submit(database.write, unit_of_work, "second", "B", "A")
        assert (first.result(timeout=60), second.result(timeout=60)) == ("first", "second")

    assert deadlocks and set(deadlocks) == {DEADLOCK}
    assert attempts["first"] + attempts["second"] == 2 + len(deadlocks)
    assert run("MATCH (s:Scratch) RETURN s.key AS key, s.touched AS n ORDER BY key") == [
        {"key": "A", "n": 2},
        {"key": "B", "n": 2},
    ]
    logs = run("MATCH (l:ScratchLog) RETURN l.by AS by ORDER BY by")
    assert logs == [{"by": "first"}, {"by": "second"}]


def test_a_non_transient_server_error_is_not_retried_and_rolls_everything_back(clean_db):
    run("CREATE (:Person {uid: 'already-there'})")
    attempts = []

    def unit_of_work() -> None:
        attempts.append(1)
        run("CREATE (:Scratch)")
        run("CREATE (:Person {uid: 'already-there'})")  # breaks the uniqueness of Person.uid

    with pytest.raises(ConstraintError) as caught:
        database.write(unit_of_work)
    assert caught.value.code == "Neo.ClientError.Schema.ConstraintValidationFailed"
    assert len(attempts) == 1 and _count("Scratch") == 0


def test_an_error_of_the_code_is_not_retried(clean_db):
    attempts = []

    def unit_of_work() -> None:
        attempts.append(1)
        run("CREATE (:Scratch)")
        raise ValueError("a bug, not the database")

    with pytest.raises(ValueError):
        database.write(unit_of_work)
    assert len(attempts) == 1 and _count("Scratch") == 0


@pytest.mark.parametrize(("limit", "attempts_made"), [("0.5", 2), ("1,5", 3)])
def test_retries_stop_at_the_time_set_in_the_environment(
    clean_db, monkeypatch, limit, attempts_made
):
    """The driver waits about 1 s, then 2 s (±20 %) between attempts and gives up once the
    time since the first failure passes the limit: 0.5 s allows one retry, 1.5 s two."""
    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    monkeypatch.setenv("NEO4J_MAX_TRANSACTION_RETRY_TIME", limit)
    create_app({"TESTING": True, "SECRET_KEY": "test"})  # connects with these settings
    attempts = []

    def always_transient() -> None:
        attempts.append(time.monotonic())
        run("CREATE (:Scratch)")
        raise TransientError("the leader is being elected")

    started = time.monotonic()
    with pytest.raises(TransientError):
        database.write(always_transient)
    elapsed = time.monotonic() - started
    assert len(attempts) == attempts_made
    assert elapsed < float(limit.replace(",", ".")) + 2.4 + 1.0  # the last wait, and slack
    assert _count("Scratch") == 0  # every attempt was rolled back


def test_a_read_unit_of_work_is_in_read_access_mode_where_the_server_refuses_writes(clean_db):
    @reads
    def sneaky_use_case() -> None:
        run("CREATE (:Scratch)")

    with pytest.raises(ClientError) as caught:
        sneaky_use_case()
    assert caught.value.code == "Neo.ClientError.Statement.AccessMode"
    with pytest.raises(ClientError):
        database.read(run, "MATCH (c:Commune) SET c.touched = true")
    assert _count("Scratch") == 0
    assert run("MATCH (c:Commune) WHERE c.touched IS NOT NULL RETURN count(c) AS n") == [{"n": 0}]


def test_a_read_after_a_write_follows_its_bookmark_from_another_session(clean_db):
    """A write hands its bookmark to the process's bookmark manager, and a read in another
    session (another thread, as another request) starts from it: on a cluster the follower
    serving the read waits until it has applied that write."""
    bookmarks = database._state["driver"].execute_query_bookmark_manager
    before = set(bookmarks.get_bookmarks())
    database.write(run, "CREATE (:Scratch {n: 1})")
    after = set(bookmarks.get_bookmarks())
    assert after and after != before

    with ThreadPoolExecutor(1) as pool:
        seen = pool.submit(database.read, run, "MATCH (s:Scratch) RETURN s.n AS n").result()
    assert seen == [{"n": 1}]


@pytest.fixture
def transactions_opened(monkeypatch) -> list[str]:
    """The access mode of every transaction the process opens from now on (spies on our own
    code, the server is the real one)."""
    opened: list[str] = []
    original = database._session

    def spy(writes: bool):
        opened.append("WRITE" if writes else "READ")
        return original(writes)

    monkeypatch.setattr(database, "_session", spy)
    return opened


@pytest.mark.parametrize(
    "scope",
    [
        {"commune": OUJDA},  # an HCP code: the territory's name is looked up
        {"commune": "Oujda"},  # a name: the commune is resolved
        {"region": ORIENTAL},
    ],
)
def test_the_network_map_page_reads_its_scope_in_a_read_transaction(
    client, transactions_opened, scope
):
    """The map page checks the scope form itself, outside the map's use case: its lookups
    must still go to a follower, not open write transactions on the leader."""
    response = client.get("/reseau/carte", query_string=scope)
    assert response.status_code == 200
    assert 'id="network-map"' in response.get_data(as_text=True)  # the scope was accepted
    assert transactions_opened and set(transactions_opened) == {"READ"}


# --- read your own writes across processes ----------------------------------------------------


def _session_bookmarks(client) -> list[str] | None:
    with client.session_transaction() as stored:
        return stored.get(BOOKMARKS_KEY)


def test_a_request_that_writes_hands_its_bookmark_back_in_the_session(login, officer):
    """Signing in writes (last login): the cookie then carries the bookmark of that write,
    the very one the server gave this process's bookmark manager."""
    client = login(officer)
    carried = _session_bookmarks(client)
    assert carried
    manager = database._state["driver"].execute_query_bookmark_manager
    assert set(carried) == set(manager.get_bookmarks())


def test_another_process_starts_the_users_next_request_after_their_last_write(
    app, login, officer, monkeypatch
):
    """Another gunicorn worker (here: a new driver, with an empty bookmark manager) serves the
    next requests: every transaction they open starts after the user's last write, and a
    request that writes replaces the bookmark with its own."""
    client = login(officer)
    carried = set(_session_bookmarks(client))

    create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False})
    driver = database._state["driver"]
    assert not set(driver.execute_query_bookmark_manager.get_bookmarks())  # knows nothing yet
    opened: list[dict] = []
    original = driver.session

    def spy(**config):
        given = config.get("bookmarks")
        opened.append(set(given.raw_values) if given is not None else set())
        return original(**config)

    monkeypatch.setattr(driver, "session", spy)

    response = client.get("/personnes/")
    assert response.status_code == 200
    assert opened and all(bookmarks == carried for bookmarks in opened)
    assert set(_session_bookmarks(client)) == carried  # a read changes nothing

    opened.clear()
    response = client.post(
        "/personnes/nouvelle",
        data={"first_name": "Salma", "last_name": "Bennani", "commune": "Oujda [" + OUJDA + "]"},
    )
    assert response.status_code in (200, 302)
    assert run("MATCH (p:Person {last_name: 'Bennani'}) RETURN count(p) AS n") == [{"n": 1}]
    after = set(_session_bookmarks(client))
    assert after and after != carried
    assert after == set(driver.execute_query_bookmark_manager.get_bookmarks())


def test_a_bookmark_the_server_does_not_know_is_dropped_and_the_page_still_served(login, officer):
    """A bookmark of another database (a restored or replaced one) must not lock the user
    out: the request runs without it and the cookie forgets it."""
    client = login(officer)
    with client.session_transaction() as stored:
        stored[BOOKMARKS_KEY] = ["FB:not-a-bookmark-of-this-database"]
    response = client.get("/personnes/")
    assert response.status_code == 200
    assert "FB:not-a-bookmark-of-this-database" not in (_session_bookmarks(client) or [])


def test_an_atomic_block_hands_its_bookmark_to_the_followed_user(clean_db):
    token = database.follow(["FB:old"])
    try:
        with database.atomic():
            run("CREATE (:Scratch {n: 2})")
        following = database.causal()
        assert following.changed and following.bookmarks and "FB:old" not in following.bookmarks
    finally:
        database.stop_following(token)
    assert database.causal() is None
