"""The overlay URL's token never reaches a log: nginx's access log (a real nginx in front of the
test server) and the Python request-line loggers."""

from __future__ import annotations

import logging
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aethex.management.commands.runnginx import FrontDoor, nginx_command, render_frontdoor, write_frontdoor
from tests.aethex.test_runnginx import NGINX
from tests.integrations.factories import alert_channel
from tests.streams.conftest import _answers, free_port, wait_for


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_the_rendered_frontdoor_logs_overlay_urls_without_their_query(tmp_path: Path) -> None:
    conf = render_frontdoor(FrontDoor(prefix=tmp_path, access_log=str(tmp_path / "access.log")))
    assert f"access_log {tmp_path / 'access.log'} redacted;" in conf
    assert "$request " not in conf and '"$request"' not in conf  # the combined format's request line
    assert "$loggable_request_uri" in conf


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is installed by scripts/bootstrap.sh")
@pytest.mark.django_db(transaction=True)
def test_nginx_access_log_never_records_the_overlay_token(tmp_path: Path, live_server) -> None:
    settings = alert_channel(slug="nova")
    port = free_port()
    log = tmp_path / "access.log"
    door = FrontDoor(
        prefix=tmp_path / "nginx",
        port=port,
        upstream=f"127.0.0.1:{live_server.thread.port}",
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        access_log=str(log),
        error_log=str(tmp_path / "error.log"),
    )
    write_frontdoor(door)
    process = subprocess.Popen(nginx_command(door), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: _answers(port))
        base = f"http://127.0.0.1:{port}"
        assert _get(f"{base}/overlay/nova/alerts?token={settings.token}") == 200
        assert _get(f"{base}/overlay/nova/alerts/?token={settings.token}&x=1") == 200
        assert _get(f"{base}/overlay/nova/alerts?token=wrong-{settings.token}") == 403
        _get(f"{base}/ws/overlay/nova/alerts/?token={settings.token}")  # a plain GET: refused, still logged
        assert _get(f"{base}/search/?q=kept") == 200
        wait_for(lambda: log.exists() and log.read_text().count("\n") >= 5)
    finally:
        process.terminate()
        process.wait(timeout=10)

    written = log.read_text()
    assert settings.token not in written
    assert '"GET /overlay/nova/alerts?<redacted> HTTP/1.1" 200' in written
    assert '"GET /ws/overlay/nova/alerts/?<redacted> HTTP/1.1"' in written
    assert "/search/?q=kept" in written  # other query strings are still useful in the log


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.mark.parametrize("name", ["django.server", "uvicorn.access", "daphne.access"])
def test_request_line_loggers_redact_the_token(name: str) -> None:
    # A handler on the logger itself: django.server does not propagate to the root logger.
    logger, keep = logging.getLogger(name), _Keep()
    logger.addHandler(keep)
    try:
        logger.error('"%s" %s', "GET /overlay/nova/alerts?token=s3cret HTTP/1.1", 200)
        logger.error("GET /ws/overlay/nova/alerts/?token=s3cret 101")
    finally:
        logger.removeHandler(keep)
    text = "\n".join(keep.lines)
    assert "s3cret" not in text
    assert "/overlay/nova/alerts?<redacted>" in text
    assert "/ws/overlay/nova/alerts/?<redacted>" in text
