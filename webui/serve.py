"""`make run`: start the local Neo4j (unless NEO4J_URI is set), prepare the database, and serve
the UI with gunicorn on http://127.0.0.1:5000 until Ctrl-C.

    python -m webui.serve

Settings: TANSIQ_PORT (5000), TANSIQ_NEO4J_BOLT_PORT (7687), TANSIQ_VAR_DIR (var/),
TANSIQ_ADMIN_EMAIL / TANSIQ_ADMIN_PASSWORD (first administrator), TANSIQ_WORKERS (2).

gunicorn's control socket is per instance: <var dir>/run/gunicorn-<port>.ctl
(``gunicornc -s var/run/gunicorn-5000.ctl``), so two instances on one machine never share it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from graph.local_neo4j import LauncherError, LocalNeo4j, port_in_use
from webui.config import var_dir

HOST = "127.0.0.1"
APP = "webui:create_app()"
MAX_UNIX_SOCKET_PATH = 107  # bytes: sun_path is 108 on Linux, with the final NUL


def main() -> int:
    port = int(os.environ.get("TANSIQ_PORT", "5000"))
    if port_in_use(port):
        print(
            f"Le port {port} est déjà utilisé sur {HOST} : arrêtez le programme qui l'occupe ou "
            f"choisissez un autre port avec TANSIQ_PORT (par exemple TANSIQ_PORT={port + 1}).",
            file=sys.stderr,
        )
        return 2
    env = dict(os.environ)
    with ExitStack() as stack:
        if not env.get("NEO4J_URI"):
            neo = LocalNeo4j(
                var_dir() / "neo4j",
                bolt_port=int(env.get("TANSIQ_NEO4J_BOLT_PORT", "7687")),
                heap=env.get("TANSIQ_NEO4J_HEAP", "512m"),
                pagecache=env.get("TANSIQ_NEO4J_PAGECACHE", "256m"),
            )
            print(f"Démarrage de Neo4j (données dans {neo.data_dir})…", flush=True)
            try:
                neo.start()
            except LauncherError as exc:
                print(str(exc), file=sys.stderr)
                return 2
            stack.callback(neo.stop)
            env.update(NEO4J_URI=neo.uri, NEO4J_USER=neo.user, NEO4J_PASSWORD=neo.password)
            print(f"Neo4j prêt sur {neo.uri}.", flush=True)
        for step in (
            ["graph", "install-schema"],
            ["seeds", "load", "--if-missing"],
            ["users", "ensure-admin"],
        ):
            if _flask(step, env) != 0:
                print(
                    f"make run s'arrête : l'étape « flask --app webui {' '.join(step)} » a "
                    "échoué (la raison est écrite juste au-dessus).",
                    file=sys.stderr,
                )
                return 1
        return _serve(port, env)


def _flask(args: list[str], env: dict) -> int:
    return subprocess.call([sys.executable, "-m", "flask", "--app", "webui", *args], env=env)


def gunicorn_command(port: int, workers: str, var: Path, app: str = APP) -> list[str]:
    """The gunicorn command line serving ``app`` on 127.0.0.1:``port``."""
    return [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{HOST}:{port}",
        "--workers", workers, "--threads", "4",
        "--access-logfile", "-",
        *_control_socket_options(var, port),
        app,
    ]  # fmt: skip


def control_socket_path(var: Path, port: int) -> Path:
    """This instance's gunicorn control socket (for ``gunicornc -s PATH``)."""
    return Path(var).resolve() / "run" / f"gunicorn-{port}.ctl"


def _control_socket_options(var: Path, port: int) -> list[str]:
    # gunicorn's default socket is one fixed path per user ($XDG_RUNTIME_DIR or ~/.gunicorn):
    # a second instance would replace it and delete it on exit. The port keeps instances that
    # share a var dir (external Neo4j) apart too.
    path = control_socket_path(var, port)
    if len(os.fsencode(path)) > MAX_UNIX_SOCKET_PATH:
        return ["--no-control-socket"]  # too long to bind; never fall back to the shared default
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return ["--control-socket", str(path)]


def _serve(port: int, env: dict) -> int:
    command = gunicorn_command(port, env.get("TANSIQ_WORKERS", "2"), var_dir())
    print(f"Tansiq est servi sur http://{HOST}:{port}/ (Ctrl-C pour arrêter).", flush=True)
    server = subprocess.Popen(command, env=env)

    def forward(signum: int, _frame: object) -> None:
        server.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    return server.wait()


if __name__ == "__main__":
    sys.exit(main())
