"""`make run`'s launcher refuses a busy web port with a message naming the variable to change."""

import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_busy_web_port_gets_a_clear_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "webui.serve"],
            cwd=ROOT,
            env={"TANSIQ_PORT": str(port), "TANSIQ_VAR_DIR": str(tmp_path), "PATH": "/usr/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"Le port {port} est déjà utilisé" in result.stderr
    assert "TANSIQ_PORT" in result.stderr
    assert not (tmp_path / "neo4j").exists()  # nothing was started


def _gunicorn_settings(command: list[str]):
    """Parse a command line the way gunicorn 27 itself does."""
    from gunicorn.config import Config

    assert command[:3] == [sys.executable, "-m", "gunicorn"]
    return Config().parser().parse_args(command[3:])


def test_each_instance_gets_its_own_control_socket_under_its_var_dir(tmp_path):
    from webui.serve import gunicorn_command

    first = _gunicorn_settings(gunicorn_command(5000, "2", tmp_path / "a"))
    second = _gunicorn_settings(gunicorn_command(5001, "2", tmp_path / "b"))
    same_var = _gunicorn_settings(gunicorn_command(5002, "2", tmp_path / "a"))
    sockets = {Path(s.control_socket) for s in (first, second, same_var)}
    assert len(sockets) == 3  # never gunicorn's one default path per user
    assert Path(first.control_socket).parent == (tmp_path / "a" / "run").resolve()
    assert Path(second.control_socket).parent == (tmp_path / "b" / "run").resolve()
    assert not first.control_socket_disable


def test_a_var_dir_too_deep_for_a_unix_socket_disables_it(tmp_path):
    from webui.serve import gunicorn_command

    settings = _gunicorn_settings(gunicorn_command(5000, "1", tmp_path / ("v" * 120)))
    assert settings.control_socket_disable  # rather than falling back to the shared default


HELLO_APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def test_two_instances_on_one_machine_keep_their_own_control_sockets(tmp_path):
    from gunicorn.ctl.client import ControlClient

    from graph.local_neo4j import free_port
    from webui.serve import control_socket_path, gunicorn_command

    (tmp_path / "hello_wsgi.py").write_text(HELLO_APP)
    home = tmp_path / "home"
    home.mkdir()
    # Same HOME, no XDG_RUNTIME_DIR: gunicorn's default would be one shared ~/.gunicorn path.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(tmp_path)}
    instances, logs = [], []
    try:
        for name in ("a", "b"):
            var, port = tmp_path / name, free_port()
            command = gunicorn_command(port, "1", var, app="hello_wsgi:app")
            log = tmp_path / f"{name}.log"
            with open(log, "wb") as stderr:
                process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=stderr)
            instances.append((process, control_socket_path(var, port)))
            logs.append(log)
        for (process, socket_path), log in zip(instances, logs, strict=True):
            _wait_for(lambda p=process, s=socket_path: s.is_socket() or p.poll() is not None)
            assert socket_path.is_socket(), log.read_text()

        second, second_socket = instances[1]
        second.terminate()
        second.wait(timeout=30)
        assert not second_socket.exists()

        # The first instance's socket survived the second one's exit and still answers.
        first_socket = instances[0][1]
        assert first_socket.is_socket()
        with ControlClient(str(first_socket), timeout=10) as client:
            assert client.send_command("show workers")
        assert not (home / ".gunicorn").exists()
    finally:
        for process, _ in instances:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
