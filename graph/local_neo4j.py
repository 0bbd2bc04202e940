"""Start and stop a local Neo4j 5.26 Community engine for Tansiq.

The engine is the real Neo4j, run embedded by the small Java launcher in
``graph/launcher`` (built with Maven from Maven Central artifacts). It listens
for Bolt on 127.0.0.1 only, with authentication enabled: the password of user
``neo4j`` is handed to the launcher through the ``TANSIQ_NEO4J_PASSWORD``
environment variable (never on the command line) and set again at each start.

Typical use::

    from graph.local_neo4j import LocalNeo4j

    with LocalNeo4j(Path("var/neo4j"), bolt_port=7687) as neo:
        driver = GraphDatabase.driver(neo.uri, auth=(neo.user, neo.password))

or from a shell, in the foreground until Ctrl-C / SIGTERM::

    python -m graph.local_neo4j run --data-dir var/neo4j --port 7687
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = [
    "LAUNCHER_DIR",
    "LauncherError",
    "LocalNeo4j",
    "Neo4jStartError",
    "PortInUseError",
    "build_launcher",
    "free_port",
    "port_in_use",
]

log = logging.getLogger(__name__)

#: Maven module of the Java launcher.
LAUNCHER_DIR: Path = Path(__file__).resolve().parent / "launcher"

MAIN_CLASS = "org.tansiq.neo4j.Launcher"
READY_PREFIX = "TANSIQ_NEO4J_READY "
ERROR_PREFIX = "TANSIQ_NEO4J_ERROR "
PASSWORD_ENV = "TANSIQ_NEO4J_PASSWORD"
PORT_ENV = "TANSIQ_NEO4J_BOLT_PORT"
PASSWORD_FILE_NAME = ".tansiq-neo4j-password"
STDERR_LOG_NAME = "launcher-stderr.log"  # under <data_dir>/logs, beside Neo4j's debug.log
HOST = "127.0.0.1"
MIN_PASSWORD_LENGTH = 8  # Neo4j's dbms.security.auth_minimum_password_length default

# Modest JVM options for a small (2-core) shared machine, plus the module openings that Neo4j's
# own start script passes: without them Neo4j cannot reach file descriptors (page cache and
# transaction log advice) nor mark its file channels uninterruptible, and logs warnings.
JVM_OPTIONS: tuple[str, ...] = (
    "-XX:+UseSerialGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    "-Djdk.nio.maxCachedBufferSize=262144",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
)


class LauncherError(RuntimeError):
    """The local Neo4j launcher could not be built, started or stopped."""


class PortInUseError(LauncherError):
    """The requested Bolt port is already taken on 127.0.0.1."""


class Neo4jStartError(LauncherError):
    """The Neo4j process died or did not become ready in time."""


# --------------------------------------------------------------------------- build


def _build_stamp() -> Path:
    """File touched after each successful Maven build."""
    return LAUNCHER_DIR / "target" / ".tansiq-build-stamp"


def _launcher_built() -> bool:
    """True when the compiled launcher and its dependency jars are present and up to date."""
    main_class = LAUNCHER_DIR / "target" / "classes" / "org" / "tansiq" / "neo4j" / "Launcher.class"
    lib = LAUNCHER_DIR / "target" / "lib"
    if not main_class.is_file() or not lib.is_dir() or not any(lib.glob("neo4j-*.jar")):
        return False
    # Rebuild when the pom or a Java source changed since the last successful build.
    stamp = _build_stamp()
    built_at = stamp.stat().st_mtime if stamp.is_file() else main_class.stat().st_mtime
    sources = [LAUNCHER_DIR / "pom.xml", *(LAUNCHER_DIR / "src").rglob("*.java")]
    return all(src.stat().st_mtime <= built_at for src in sources if src.exists())


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """Serialise concurrent builds (e.g. parallel test workers) with a file lock."""
    import fcntl

    target = LAUNCHER_DIR / "target"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".build.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def build_launcher(force: bool = False) -> None:
    """Build the Java launcher with Maven unless it is already built.

    Runs ``mvn -q -B package -DskipTests`` in :data:`LAUNCHER_DIR` when
    ``target/classes`` or ``target/lib`` is missing or stale, or when ``force``
    is true. Raises :class:`LauncherError` if Maven is missing or fails.
    """
    if not force and _launcher_built():
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LauncherError(
            "Maven ('mvn') is not on PATH, so the Neo4j launcher in "
            f"{LAUNCHER_DIR} cannot be built; install Maven 3.8+ and Java 17."
        )
    with _build_lock():
        if not force and _launcher_built():  # another process built it meanwhile
            return
        started = time.monotonic()
        log.info("building the Neo4j launcher with Maven in %s", LAUNCHER_DIR)
        result = subprocess.run(
            [mvn, "-q", "-B", "package", "-DskipTests"],
            cwd=LAUNCHER_DIR,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            output = _ANSI_RE.sub("", result.stdout + result.stderr).strip()
            errors = [line for line in output.splitlines() if "ERROR" in line]
            detail = (errors[0] if errors else (output.splitlines() or ["no output"])[-1]).strip()
            error = LauncherError(
                f"Building the Neo4j launcher with 'mvn -q -B package -DskipTests' in "
                f"{LAUNCHER_DIR} failed with exit status {result.returncode}: {detail}"
            )
            error.output = output  # type: ignore[attr-defined]  # full Maven output, for debugging
            raise error
        _build_stamp().touch()
        log.info("Neo4j launcher built in %.1f s", time.monotonic() - started)


# --------------------------------------------------------------------------- ports


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now (chosen by the kernel)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    """True if ``port`` cannot be bound on 127.0.0.1 (something is listening on it).

    SO_REUSEADDR is set, as the JVM does for server sockets, so connections of a
    server that just stopped (TIME_WAIT) do not count as "in use".
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def _port_in_use_message(port: int) -> str:
    example = port + 1 if port < 65535 else 7688
    return (
        f"Le port Bolt {port} est déjà utilisé sur {HOST} : impossible d'y démarrer Neo4j. "
        f"Arrêtez le programme qui l'occupe, ou choisissez un autre port avec la variable "
        f"d'environnement {PORT_ENV} (par exemple {PORT_ENV}={example}). "
        f"[Bolt port {port} is already in use on {HOST}; set {PORT_ENV} to use another port.]"
    )


# --------------------------------------------------------------------------- helpers


_SIZE_RE = re.compile(r"^(\d+)([kmgt]?)$", re.IGNORECASE)  # the JVM's -Xmx syntax


def _size_bytes(size: str) -> int:
    """Parse a JVM / Neo4j style size such as ``512m`` or ``2g`` into bytes."""
    match = _SIZE_RE.match(size)
    if not match:
        raise ValueError(f"invalid memory size {size!r} (expected e.g. 512m or 2g)")
    number, unit = int(match.group(1)), match.group(2).lower()
    return number * 1024 ** "_kmgt".index(unit or "_")


def _java_executable() -> str:
    """The java binary: $JAVA_HOME/bin/java if set, else java from PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file():
            return str(candidate)
    java = shutil.which("java")
    if java is None:
        raise LauncherError("Java ('java') is not on PATH; Neo4j 5.26 needs Java 17 or 21.")
    return java


def _read_tail(path: Path, start: int, max_lines: int = 25, max_chars: int = 4000) -> str:
    """The last lines of ``path`` written after byte offset ``start``."""
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = text.strip().splitlines()[-max_lines:]
    return "\n".join(lines)[-max_chars:]


# Letters and digits only: a generated password can never read as an option ('-…'), an argument
# file ('@…') or need quoting anywhere; 32 of them carry about 190 bits.
PASSWORD_ALPHABET = string.ascii_letters + string.digits
GENERATED_PASSWORD_LENGTH = 32


def _new_password() -> str:
    """A random password for user ``neo4j`` made of letters and digits only."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(GENERATED_PASSWORD_LENGTH))


# --------------------------------------------------------------------------- engine


class LocalNeo4j:
    """One local Neo4j engine (Bolt on 127.0.0.1) storing its data under ``data_dir``.

    ``data_dir`` is the Neo4j home: ``data/`` (stores and transaction logs) and
    ``logs/`` (debug.log and this launcher's stderr) live below it. When no
    password is given, it is read from ``<data_dir>/.tansiq-neo4j-password``,
    or generated and stored there (mode 0600), so restarts on the same data
    reuse it.
    """

    user = "neo4j"

    def __init__(
        self,
        data_dir: Path,
        bolt_port: int = 7687,
        heap: str = "512m",
        pagecache: str = "256m",
        password: str | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.bolt_port = int(bolt_port)
        if not 0 < self.bolt_port < 65536:
            raise ValueError(f"invalid Bolt port {bolt_port!r}")
        self.heap = heap
        self.pagecache = pagecache
        _size_bytes(heap)  # validate early, with a clear message
        _size_bytes(pagecache)
        self._password = password if password is not None else self._stored_or_new_password()
        if len(self._password) < MIN_PASSWORD_LENGTH:
            raise ValueError(
                f"the Neo4j password must have at least {MIN_PASSWORD_LENGTH} characters"
            )
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._ready = threading.Event()
        self._stderr_file: IO[bytes] | None = None
        self._stderr_offset = 0
        #: Seconds from spawning java to the READY line, set by the last successful start().
        self.startup_seconds: float | None = None

    # ------------------------------------------------------------------ properties

    @property
    def uri(self) -> str:
        """Bolt URI of the engine, e.g. ``bolt://127.0.0.1:7687``."""
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def password(self) -> str:
        """Password of user ``neo4j``."""
        return self._password

    @property
    def password_file(self) -> Path:
        """File where a generated password is kept for restarts."""
        return self.data_dir / PASSWORD_FILE_NAME

    @property
    def stderr_log(self) -> Path:
        """File receiving the launcher's standard error."""
        return self.data_dir / "logs" / STDERR_LOG_NAME

    @property
    def pid(self) -> int | None:
        """Process id of the running java process, if any."""
        return self._process.pid if self.is_running() and self._process else None

    def _stored_or_new_password(self) -> str:
        path = self.data_dir / PASSWORD_FILE_NAME
        if path.is_file():
            stored = path.read_text(encoding="utf-8").strip()
            if stored:
                return stored
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        password = _new_password()
        # Write to a private temporary file, then rename: never a moment with wider permissions.
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        return password

    # ------------------------------------------------------------------ lifecycle

    def is_running(self) -> bool:
        """True while the java process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 180) -> None:
        """Start Neo4j and return once Bolt accepts the credentials.

        Raises :class:`PortInUseError` if the Bolt port is taken,
        :class:`LauncherError` if the launcher cannot be built, and
        :class:`Neo4jStartError` if the engine dies or is not ready within
        ``timeout`` seconds (the message ends with the launcher's stderr).
        """
        if self.is_running():
            return
        deadline = time.monotonic() + timeout
        if port_in_use(self.bolt_port):
            raise PortInUseError(_port_in_use_message(self.bolt_port))
        build_launcher()

        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.stderr_log.parent.mkdir(parents=True, exist_ok=True)
        self._stderr_file = open(self.stderr_log, "ab")
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        self._stderr_file.write(f"--- {stamp} starting Neo4j on {self.uri}\n".encode())
        self._stderr_file.flush()
        self._stderr_offset = self._stderr_file.tell()

        target = LAUNCHER_DIR / "target"
        classpath = os.pathsep.join([str(target / "classes"), str(target / "lib" / "*")])
        initial_heap = min(_size_bytes(self.heap), 64 * 1024**2) // 1024**2 or 1
        command = [
            _java_executable(),
            f"-Xmx{self.heap}",
            f"-Xms{initial_heap}m",
            *JVM_OPTIONS,
            "-cp",
            classpath,
            MAIN_CLASS,
            "--data-dir",
            str(self.data_dir),
            "--port",
            str(self.bolt_port),
            "--pagecache",
            self.pagecache,
            # The launcher shuts down cleanly when our end of its stdin closes, so the engine
            # never outlives this Python process, even if it is killed.
            "--watch-stdin",
        ]
        env = dict(os.environ)
        env[PASSWORD_ENV] = self._password

        self._ready.clear()
        spawned = time.monotonic()
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr_file,
            env=env,
            text=True,
            bufsize=1,
            # Own process group: a Ctrl-C in the terminal reaches Python only, which then stops
            # Neo4j in order instead of both racing on the same signal.
            start_new_session=True,
        )
        self._reader = threading.Thread(
            target=self._read_stdout, args=(self._process,), name="neo4j-stdout", daemon=True
        )
        self._reader.start()

        try:
            self._wait_ready(deadline)
            self.startup_seconds = time.monotonic() - spawned
            self._verify_connectivity(deadline)
        except BaseException:
            self._kill_after_failed_start()
            raise
        log.info(
            "Neo4j ready on %s in %.1f s (pid %s)",
            self.uri,
            self.startup_seconds,
            self._process.pid,
        )

    def _read_stdout(self, process: subprocess.Popen[str]) -> None:
        """Reader thread: set the ready event on the READY line, keep draining stdout after."""
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(READY_PREFIX):
                self._ready.set()
            elif line.strip():
                log.debug("neo4j stdout: %s", line.rstrip())

    def _wait_ready(self, deadline: float) -> None:
        assert self._process is not None
        while not self._ready.wait(0.1):
            code = self._process.poll()
            if code is not None:
                # The reader may still hold the READY line if the process exited right after it.
                if self._ready.is_set():
                    break
                self._raise_start_failure(
                    f"the Neo4j process exited with status {code} before being ready"
                )
            if time.monotonic() > deadline:
                self._raise_start_failure("Neo4j did not become ready before the start timeout")
        if self._process.poll() is not None:
            self._raise_start_failure(
                f"the Neo4j process exited with status {self._process.returncode}"
            )

    def _verify_connectivity(self, deadline: float) -> None:
        """Confirm with the official driver that Bolt accepts our credentials."""
        from neo4j import GraphDatabase

        remaining = max(1.0, deadline - time.monotonic())
        try:
            with GraphDatabase.driver(
                self.uri, auth=(self.user, self._password), connection_timeout=min(30.0, remaining)
            ) as driver:
                driver.verify_connectivity()
        except Exception as exc:  # noqa: BLE001 - any driver error means "not usable"
            self._raise_start_failure(
                f"Neo4j printed READY but the driver could not connect: {exc}"
            )

    def _raise_start_failure(self, reason: str) -> None:
        self._flush_stderr()
        tail = _read_tail(self.stderr_log, self._stderr_offset)
        if "Address already in use" in tail:
            # Lost a race with another process between our check and Neo4j's bind.
            raise PortInUseError(_port_in_use_message(self.bolt_port))
        details = f"\n--- {self.stderr_log} (tail) ---\n{tail}" if tail else ""
        # Neo4j logs the cause of most start failures in its own debug.log, not on stderr.
        debug_log = self.data_dir / "logs" / "debug.log"
        problems = [
            line
            for line in _read_tail(debug_log, 0, max_lines=400, max_chars=200_000).splitlines()
            if " ERROR " in line or " WARN " in line
        ][-10:]
        if problems:
            details += f"\n--- {debug_log} (errors and warnings) ---\n" + "\n".join(problems)
        raise Neo4jStartError(f"{reason} ({self.uri}, data in {self.data_dir}).{details}")

    def _flush_stderr(self) -> None:
        if self._stderr_file is not None and not self._stderr_file.closed:
            self._stderr_file.flush()

    def _kill_after_failed_start(self) -> None:
        with contextlib.suppress(Exception):
            self.stop(timeout=30)

    def stop(self, timeout: float = 60) -> None:
        """Stop Neo4j: SIGTERM (clean shutdown), then SIGKILL only after ``timeout`` seconds."""
        process = self._process
        if process is None:
            return
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    log.warning(
                        "Neo4j did not stop within %.0f s; killing pid %s", timeout, process.pid
                    )
                    process.kill()
                    process.wait(timeout=30)
        finally:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            if self._reader is not None:
                self._reader.join(timeout=5)
            if self._stderr_file is not None:
                with contextlib.suppress(OSError):
                    self._stderr_file.close()
            self._process = None
            self._reader = None
            self._stderr_file = None
            self._ready.clear()

    # ------------------------------------------------------------------ context manager

    def __enter__(self) -> LocalNeo4j:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"running pid={self.pid}" if self.is_running() else "stopped"
        return f"LocalNeo4j({self.uri}, data_dir={str(self.data_dir)!r}, {state})"


# --------------------------------------------------------------------------- command line


def _run(args: argparse.Namespace) -> int:
    """Run Neo4j in the foreground until Ctrl-C or SIGTERM, then stop it cleanly."""
    # An explicit TANSIQ_NEO4J_PASSWORD wins; otherwise the password file of the data dir is used.
    password = os.environ.get(PASSWORD_ENV) or None
    neo = LocalNeo4j(
        Path(args.data_dir),
        bolt_port=args.port,
        heap=args.heap,
        pagecache=args.pagecache,
        password=password,
    )
    stop_requested = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        neo.start(timeout=args.timeout)
    except LauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(neo.uri, flush=True)
    print(
        f"user {neo.user}, password in {PASSWORD_ENV if password else neo.password_file}; "
        f"logs in {neo.stderr_log.parent}; Ctrl-C to stop.",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not stop_requested.wait(0.5):
            if not neo.is_running():
                print(f"error: Neo4j exited unexpectedly; see {neo.stderr_log}", file=sys.stderr)
                return 1
    finally:
        neo.stop()
    print("Neo4j stopped.", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: ``run`` (foreground engine) or ``build`` (compile the launcher)."""
    parser = argparse.ArgumentParser(
        prog="python -m graph.local_neo4j", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run Neo4j in the foreground until Ctrl-C / SIGTERM")
    run.add_argument("--data-dir", default=os.environ.get("TANSIQ_NEO4J_DATA_DIR", "var/neo4j"))
    run.add_argument("--port", type=int, default=int(os.environ.get(PORT_ENV, "7687")))
    run.add_argument("--heap", default="512m", help="JVM maximum heap (-Xmx), default 512m")
    run.add_argument("--pagecache", default="256m", help="Neo4j page cache size, default 256m")
    run.add_argument("--timeout", type=float, default=180, help="start timeout in seconds")
    build = commands.add_parser("build", help="build the Java launcher with Maven")
    build.add_argument("--force", action="store_true", help="rebuild even if already built")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    if args.command == "build":
        try:
            build_launcher(force=args.force)
        except LauncherError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
