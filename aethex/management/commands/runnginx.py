"""Render the nginx front door into var/nginx/ and run nginx in the foreground.

nginx listens on BIND:HTTP_PORT, serves /static/ and /media/ from disk and proxies
everything else (HTTP and WebSocket) to the ASGI server. Every path nginx writes (pid,
logs, temp files) is under VAR_DIR, so it runs without touching /etc/nginx or /var/lib/nginx.

Later apps extend the same nginx through ``render_frontdoor``'s hooks: ``modules``
(load_module lines), ``http_snippets`` (maps), ``server_snippets`` (locations such as /hls/)
and ``main_snippets`` (top-level blocks such as rtmp {}); ``manage.py runmedia`` does.
"""

from __future__ import annotations

import getpass
import grp
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template import Context, Engine

TEMPLATE = Path(__file__).resolve().parents[2] / "nginx" / "frontdoor.conf.template"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
MIME_TYPES = Path("/etc/nginx/mime.types")


@dataclass(frozen=True)
class FrontDoor:
    """Where nginx listens, what it proxies to and where it keeps its files."""

    prefix: Path  # var/nginx: config, pid and temp files
    bind: str = "127.0.0.1"
    port: int = 8000
    # "unix:/path/asgi.sock" or "host:port", comma-separated for several ASGI processes;
    # defaults to the sockets of `make run`'s web processes (scripts/web.sh).
    upstream: str = ""
    static_root: Path = field(default_factory=lambda: Path(settings.STATIC_ROOT))
    media_root: Path = field(default_factory=lambda: Path(settings.MEDIA_ROOT))
    log_dir: Path | None = None
    access_log: str = ""  # a path, or /dev/stdout
    error_log: str = ""  # a path, or "stderr"
    trust_forwarded_proto: bool = False
    worker_processes: str = "auto"
    client_max_body_size: str = "12m"
    modules: Sequence[str] = ()
    server_snippets: Sequence[str] = ()
    main_snippets: Sequence[str] = ()
    http_snippets: Sequence[str] = ()

    @property
    def conf_path(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def logs(self) -> Path:
        return self.log_dir or self.prefix.parent / "log"

    @property
    def error_log_target(self) -> str:
        return self.error_log or str(self.logs / "nginx-error.log")

    @property
    def listen(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind and not self.bind.startswith("[") else self.bind
        return f"{host}:{self.port}"


def asgi_socket(index: int) -> Path:
    return Path(settings.VAR_DIR) / "run" / f"asgi-{index}.sock"


def default_upstream() -> str:
    return ",".join(f"unix:{asgi_socket(i)}" for i in range(settings.WEB_WORKERS))


def _worker_user() -> str:
    # Only a root master switches users; otherwise the directive would just log a warning.
    if os.geteuid() != 0:
        return ""
    return f"{getpass.getuser()} {grp.getgrgid(os.getegid()).gr_name}"


def render_frontdoor(door: FrontDoor) -> str:
    context: dict[str, Any] = {
        "user": _worker_user(),
        "modules": list(door.modules),
        "worker_processes": door.worker_processes,
        "pid_file": door.prefix / "nginx.pid",
        "error_log": door.error_log_target,
        "mime_types": MIME_TYPES if MIME_TYPES.exists() else "",
        "temp_dir": door.prefix / "tmp",
        "access_log": door.access_log or door.logs / "nginx-access.log",
        "client_max_body_size": door.client_max_body_size,
        "trust_forwarded_proto": door.trust_forwarded_proto,
        "upstreams": [u.strip() for u in (door.upstream or default_upstream()).split(",") if u.strip()],
        "listen": door.listen,
        "static_root": str(door.static_root).rstrip("/"),
        "media_root": str(door.media_root).rstrip("/"),
        "server_snippets": list(door.server_snippets),
        "main_snippets": list(door.main_snippets),
        "http_snippets": list(door.http_snippets),
    }
    engine = Engine(autoescape=False)
    return engine.from_string(TEMPLATE.read_text()).render(Context(context, autoescape=False))


def write_frontdoor(door: FrontDoor) -> Path:
    """Render the config and create every directory nginx will write into."""
    for directory in (door.prefix, door.logs, *(door.prefix / "tmp" / name for name in TEMP_DIRS)):
        directory.mkdir(parents=True, exist_ok=True)
    for directory in (door.static_root, door.media_root):
        directory.mkdir(parents=True, exist_ok=True)
    door.conf_path.write_text(render_frontdoor(door))
    door.conf_path.chmod(0o600)  # the streams app writes the ingest secret into it
    return door.conf_path


def nginx_binary() -> str:
    found = os.environ.get("NGINX_BIN") or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise CommandError("nginx is not installed: run scripts/bootstrap.sh (or apt-get install nginx).")
    return found


def nginx_command(door: FrontDoor, *extra: str) -> list[str]:
    # -e: the error log used before the config is read (otherwise nginx opens /var/log/nginx first).
    conf = str(door.conf_path)
    return [nginx_binary(), "-p", str(door.prefix), "-c", conf, "-e", door.error_log_target, *extra]


class Command(BaseCommand):
    help = "Render the nginx front door into VAR_DIR/nginx/ and run nginx in the foreground."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HTTP_PORT", "8000")))
        parser.add_argument(
            "--upstream",
            default=os.environ.get("ASGI_UPSTREAM", ""),
            help="unix:/path or host:port, comma-separated for several ASGI processes",
        )
        parser.add_argument("--prefix", type=Path, default=Path(settings.VAR_DIR) / "nginx")
        parser.add_argument("--access-log", default=os.environ.get("NGINX_ACCESS_LOG", ""))
        parser.add_argument("--error-log", default=os.environ.get("NGINX_ERROR_LOG", ""))
        parser.add_argument("--trust-forwarded-proto", action="store_true", help="behind a TLS load balancer")
        parser.add_argument("--check", action="store_true", help="render and run `nginx -t` only")
        parser.add_argument("--render-only", action="store_true", help="render the config and print its path")

    def build_door(self, options: dict[str, Any]) -> FrontDoor:
        """The front door to render; `runmedia` extends it with the RTMP server and /hls/."""
        return FrontDoor(
            prefix=options["prefix"].resolve(),
            bind=options["bind"],
            port=options["port"],
            upstream=options["upstream"],
            access_log=options["access_log"],
            error_log=options["error_log"],
            trust_forwarded_proto=options["trust_forwarded_proto"],
        )

    def announce(self, door: FrontDoor) -> None:
        """Say what is about to listen (subclasses add their own lines)."""

    def handle(self, *args: Any, **options: Any) -> None:
        door = self.build_door(options)
        conf = write_frontdoor(door)
        if options["render_only"]:
            self.stdout.write(str(conf))
        elif options["check"]:
            result = subprocess.run(nginx_command(door, "-t", "-q"), check=False)  # noqa: S603
            if result.returncode:
                raise CommandError(f"nginx -t failed for {conf}")
            self.stdout.write(f"{conf}: syntax is ok")
        else:
            self.stdout.write(f"nginx front door on http://{door.listen}/ (config {conf})")
            self.announce(door)
            self.stdout.flush()
            command = nginx_command(door)
            os.execv(command[0], command)  # noqa: S606 - replace this process so signals reach nginx
