"""`playbook serve` rebuilds when a YAML file changes, as an author previewing a pattern expects."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sitebuild import REPO, assemble

SMALL = REPO / "tests" / "fixtures" / "valid" / "small"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and text in page:
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_a_pattern_file_changes(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "playbook", "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/patterns/llm-gateway/"
    try:
        assert _wait_for(url, "LLM gateway", 60), "the server did not serve the pattern page"
        pattern = root / "patterns" / "llm-gateway.yml"
        pattern.write_text(pattern.read_text(encoding="utf-8").replace("title: LLM gateway", "title: Model gateway"),
                           encoding="utf-8")
        assert _wait_for(url, "Model gateway", 60), "the page was not rebuilt after the YAML changed"
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            output = server.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate()[0]
    assert "end of life" not in output.lower()
    assert "Traceback" not in output
