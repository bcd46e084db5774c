from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command

from aethex.management.commands.runnginx import FrontDoor, nginx_command, render_frontdoor, write_frontdoor

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
needs_nginx = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is installed by scripts/bootstrap.sh"
)


@pytest.fixture
def door(tmp_path: Path) -> FrontDoor:
    return FrontDoor(
        prefix=tmp_path / "nginx",
        bind="127.0.0.1",
        port=18080,
        upstream=f"unix:{tmp_path / 'run' / 'asgi.sock'}",
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
    )


def test_frontdoor_serves_static_and_media_from_disk(door: FrontDoor, tmp_path: Path) -> None:
    conf = render_frontdoor(door)

    assert "listen 127.0.0.1:18080;" in conf
    assert f"alias {tmp_path / 'static'}/;" in conf
    assert f"alias {tmp_path / 'media'}/;" in conf
    assert "location /static/" in conf
    assert "location /media/" in conf
    assert "client_max_body_size 12m;" in conf


def test_frontdoor_proxies_http_and_websockets_to_the_asgi_socket(door: FrontDoor, tmp_path: Path) -> None:
    conf = render_frontdoor(door)

    assert f"server unix:{tmp_path / 'run' / 'asgi.sock'} max_fails=0;" in conf
    assert "least_conn;" in conf
    assert "location /ws/" in conf
    assert conf.count("proxy_pass http://asgi;") == 2
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert "proxy_set_header X-Forwarded-Proto $forwarded_proto;" in conf


def test_frontdoor_overwrites_x_forwarded_for_so_clients_cannot_spoof_their_address(door: FrontDoor) -> None:
    # The ASGI server's proxy-header handling may take the first X-Forwarded-For address: appending
    # would let a client send "X-Forwarded-For: 127.0.0.1" and pass the ingest hooks' address check.
    conf = render_frontdoor(door)

    assert "$proxy_add_x_forwarded_for" not in conf
    assert conf.count("proxy_set_header X-Forwarded-For $remote_addr;") == conf.count("proxy_pass ")
    assert "proxy_set_header X-Forwarded-Proto $forwarded_proto;" in conf


def test_frontdoor_keeps_every_written_path_under_its_prefix(door: FrontDoor, tmp_path: Path) -> None:
    conf = render_frontdoor(door)

    assert "daemon off;" in conf
    assert f"pid {tmp_path / 'nginx' / 'nginx.pid'};" in conf
    for directive in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert f"{directive}_temp_path {tmp_path / 'nginx' / 'tmp' / directive};" in conf
    assert f"access_log {tmp_path / 'log' / 'nginx-access.log'} redacted;" in conf
    assert "/var/log/nginx" not in conf


def test_frontdoor_hooks_add_modules_locations_and_top_level_blocks(tmp_path: Path) -> None:
    door = FrontDoor(
        prefix=tmp_path,
        modules=["/usr/lib/nginx/modules/ngx_rtmp_module.so"],
        server_snippets=["location /hls/ { alias /srv/hls/; }"],
        main_snippets=["rtmp { server { listen 1935; } }"],
    )

    conf = render_frontdoor(door)

    assert "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;" in conf
    assert conf.index("load_module") < conf.index("http {")
    assert conf.index("location /hls/") < conf.index("location / {")
    assert conf.rindex("rtmp {") > conf.rindex("location / {")


def test_frontdoor_brackets_an_ipv6_bind_address(tmp_path: Path) -> None:
    assert "listen [::1]:8000;" in render_frontdoor(FrontDoor(prefix=tmp_path, bind="::1"))


@needs_nginx
def test_rendered_frontdoor_passes_nginx_config_test(door: FrontDoor) -> None:
    write_frontdoor(door)

    result = subprocess.run(nginx_command(door, "-t"), capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@needs_nginx
def test_runnginx_check_renders_into_var_and_tests_the_config(settings, tmp_path: Path, capsys) -> None:
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"

    settings.WEB_WORKERS = 3

    call_command("runnginx", "--check", "--port", "18081")

    conf = tmp_path / "nginx" / "nginx.conf"
    assert "syntax is ok" in capsys.readouterr().out
    # One socket per web process (scripts/web.sh), balanced by open connections.
    for index in range(3):
        assert f"server unix:{tmp_path / 'run' / f'asgi-{index}.sock'} max_fails=0;" in conf.read_text()
    assert "asgi-3.sock" not in conf.read_text()
    assert "least_conn;" in conf.read_text()
    assert "listen 127.0.0.1:18081;" in conf.read_text()


def test_frontdoor_balances_a_list_of_asgi_upstreams(door: FrontDoor) -> None:
    conf = render_frontdoor(replace(door, upstream="127.0.0.1:9001, unix:/run/b.sock,"))

    assert "server 127.0.0.1:9001;" in conf  # a remote node keeps nginx's passive health check
    assert "server unix:/run/b.sock max_fails=0;" in conf
    assert conf.count("        server ") == 2
