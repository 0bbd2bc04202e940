"""`make run`'s launcher refuses a busy web port with a message naming the variable to change."""

import socket
import subprocess
import sys
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
