"""The config `runmedia` renders: the front door plus nginx-rtmp, /hls/ and the internal endpoints."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from aethex.management.commands.runnginx import FrontDoor, nginx_command, render_frontdoor, write_frontdoor
from streams.mediaconfig import Media, environment_names, media_frontdoor
from tests.streams.conftest import needs_media

SECRET = "s" * 40


@pytest.fixture
def conf(tmp_path: Path) -> str:
    return render_frontdoor(media_door(tmp_path))


def media_door(tmp_path: Path, **media: object) -> FrontDoor:
    door = FrontDoor(
        prefix=tmp_path / "nginx", port=18082, static_root=tmp_path / "s", media_root=tmp_path / "m"
    )
    settings = {
        "rtmp_port": 19350,
        "callback_url": "http://127.0.0.1:18082/ingest/rtmp",
        "secret": SECRET,
        "node": "edge-1",
        "hls_dir": tmp_path / "hls",
        "recordings_dir": tmp_path / "rec",
        "pass_env": ("DATABASE_URL", "VAR_DIR"),
        **media,
    }
    return media_frontdoor(door, Media(**settings))  # type: ignore[arg-type]


def block(conf: str, start: str) -> str:
    """The text of the `{...}` block that opens with `start`."""
    begin = conf.index(start)
    depth, i = 0, conf.index("{", begin)
    while True:
        depth += {"{": 1, "}": -1}.get(conf[i], 0)
        if depth == 0:
            return conf[begin : i + 1]
        i += 1


def test_runmedia_loads_the_rtmp_module_and_runs_one_worker(conf: str) -> None:
    assert "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;" in conf
    # nginx-rtmp keeps streams per worker: /stat and /control must see every stream.
    assert "worker_processes 1;" in conf


def test_ingest_app_calls_every_hook_with_the_node_and_never_a_secret_in_the_url(conf: str) -> None:
    live = block(conf, "application live")
    for event in ("publish", "publish_done", "update", "record_done"):
        url = f"http://127.0.0.1:18082/ingest/rtmp/{event}?node=edge-1"
        assert f'on_{event} "{url}";' in live
    assert SECRET not in block(conf, "rtmp {")
    assert "notify_update_timeout 10s;" in live
    assert "notify_method post;" in conf
    assert "record all;" in live and "record_unique on;" in live
    assert "allow play 127.0.0.1;" in live and "deny play all;" in live


def test_front_door_adds_the_secret_to_local_callbacks_only(conf: str) -> None:
    ingest = block(conf, "location /ingest/")
    assert f'proxy_set_header X-Ingest-Secret "{SECRET}";' in ingest
    assert "allow 127.0.0.1;" in ingest and "deny all;" in ingest
    assert "access_log off;" in ingest


def test_hls_is_written_only_by_the_internal_app_the_ingest_pushes_to(conf: str, tmp_path: Path) -> None:
    live, internal = block(conf, "application live"), block(conf, "application internal")

    assert "hls " not in live  # hls in the ingest app would name files after the key
    assert "push rtmp://127.0.0.1:19350/internal;" in live
    assert "allow publish 127.0.0.1;" in internal and "deny publish all;" in internal
    for line in (f"hls_path {tmp_path / 'hls'};", "hls_nested on;", "hls_fragment 1s;", "hls_cleanup on;"):
        assert line in internal
    assert "hls_playlist_length 4s;" in internal


def test_ladder_is_an_exec_of_manage_py_and_a_variant_app(conf: str, tmp_path: Path) -> None:
    live, ladder = block(conf, "application live"), block(conf, "application ladder")

    assert re.search(r"exec_push \S+python\S* \S+/manage\.py ladder \$name;", live)
    assert f"hls_path {tmp_path / 'hls' / '_ladder'};" in ladder
    assert ladder.count("hls_variant ") == 4
    # nginx workers drop the environment: the ladder command needs the same settings.
    assert "env DATABASE_URL;" in conf and "env VAR_DIR;" in conf


def test_no_ladder_renders_neither_exec_nor_ladder_app(tmp_path: Path) -> None:
    conf = render_frontdoor(media_door(tmp_path, ladder=False))

    assert "exec_push" not in conf and "application ladder" not in conf


def test_hls_locations_serve_the_public_playlist_with_cors_and_no_cache(conf: str, tmp_path: Path) -> None:
    assert "try_files /_ladder/$hls_channel.m3u8 /$hls_channel/index.m3u8 =404;" in conf
    assert f"alias {tmp_path / 'hls'}/;" in conf
    assert "add_header Access-Control-Allow-Origin * always;" in conf
    assert '"~\\.m3u8$" "no-cache";' in conf
    assert "application/vnd.apple.mpegurl m3u8;" in conf


def test_stat_and_control_answer_this_machine_only(conf: str) -> None:
    for location in ("location = /_rtmp/stat", "location /_rtmp/control"):
        body = block(conf, location)
        assert "allow 127.0.0.1;" in body and "allow ::1;" in body and "deny all;" in body


def test_ingest_hooks_are_proxied_unlogged_with_the_real_client_address(conf: str) -> None:
    ingest = block(conf, "location /ingest/")

    assert "access_log off;" in ingest
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in ingest
    assert "$proxy_add_x_forwarded_for" not in conf
    assert conf.count("X-Forwarded-For $remote_addr;") == conf.count("proxy_pass ")


def test_the_rtmp_access_log_is_off_because_it_would_record_keys(conf: str) -> None:
    assert "access_log off;" in block(conf, "rtmp {")


def test_rendered_config_is_private_to_its_owner(tmp_path: Path) -> None:
    path = write_frontdoor(media_door(tmp_path))

    assert path.stat().st_mode & 0o077 == 0  # it holds the ingest secret


def test_environment_names_keeps_only_plain_variable_names() -> None:
    assert environment_names({"DATABASE_URL": "x", "weird-name": "y", "VAR_DIR": "z"}) == (
        "DATABASE_URL",
        "VAR_DIR",
    )


@needs_media
def test_rendered_media_config_passes_nginx_config_test(tmp_path: Path) -> None:
    door = media_door(tmp_path)
    write_frontdoor(door)

    result = subprocess.run(nginx_command(door, "-t"), capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_no_internal_listener_unless_asked(conf: str) -> None:
    assert conf.count("rtmp_control all;") == 1  # only the front door's, limited to this machine


@needs_media
def test_internal_listener_serves_only_stat_and_control(tmp_path: Path) -> None:
    door = media_door(tmp_path, internal_listen="127.0.0.1:18089")
    conf = render_frontdoor(door)
    internal = block(conf, "server {\n        listen 127.0.0.1:18089;")
    assert "rtmp_stat all;" in internal and "rtmp_control all;" in internal
    assert "proxy_pass" not in internal and "alias" not in internal
    write_frontdoor(door)
    result = subprocess.run(nginx_command(door, "-t"), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@needs_media
def test_runmedia_check_renders_into_var(settings, tmp_path: Path, capsys) -> None:
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.HLS_DIR = tmp_path / "hls"
    settings.RECORDINGS_DIR = tmp_path / "recordings"

    call_command("runmedia", "--check", "--port", "18083", "--rtmp-port", "19351")

    conf = (tmp_path / "nginx" / "nginx.conf").read_text()
    assert "syntax is ok" in capsys.readouterr().out
    assert "listen 127.0.0.1:19351;" in conf
    assert "http://127.0.0.1:18083/ingest/rtmp/publish?node=" in conf and "secret=" not in conf
    assert (tmp_path / "hls" / "_ladder").is_dir() and (tmp_path / "recordings").is_dir()
