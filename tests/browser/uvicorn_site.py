"""The site as it runs for real, for Chromium tests that need WebSockets (pytest-django's
live_server is WSGI-only): uvicorn with the flags of Procfile.dev, in a subprocess on a free port,
against its own SQLite file and without REDIS_URL (the in-memory channel layer is enough inside
the one process)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def site_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DJANGO_SETTINGS_MODULE="aethex.settings",
        DATABASE_URL=f"sqlite:///{tmp / 'site.sqlite3'}",
        VAR_DIR=str(tmp),
        DEBUG="true",
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`manage.py <args>` against the site's database; its output for the caller to read."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def uvicorn_site(tmp: Path, env: dict[str, str]) -> Iterator[str]:
    """Start uvicorn on the migrated, seeded database of `env`; yield its URL; stop it."""
    port = _free_port()
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "tests.browser.asgi_with_static:application"),
                *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off", "--loop", "uvloop"),
                *("--ws", "websockets-sansio", "--ws-per-message-deflate", "false"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the site did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
