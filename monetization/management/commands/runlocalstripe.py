"""`make run`'s Stripe: the local test server on a private port, its signed webhooks wired to dj-stripe."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monetization import localstripe_setup


class Command(BaseCommand):
    help = "Run the local Stripe test server and point its webhooks at this site's dj-stripe endpoint."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site-url", default=settings.SITE_URL, help="where localstripe posts webhooks")

    def handle(self, *args: Any, **options: Any) -> None:
        host = getattr(settings, "STRIPE_API_HOST", "")
        if not host:
            raise CommandError("STRIPE_API_HOST is not set: production talks to Stripe itself.")
        port = int(host.rsplit(":", 1)[1])
        # honcho stops processes with SIGTERM: exit through `finally` so the server goes too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        server = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "monetization.localstripe_server", "--port", str(port)]
        )
        try:
            localstripe_setup.wait_until_up(host)
            url = localstripe_setup.connect_webhooks(api_host=host, site_url=options["site_url"])
            self.stdout.write(f"localstripe on {host}; webhooks → {url}")
            while server.poll() is None:
                time.sleep(1)
        finally:
            server.terminate()
            server.wait(10)
        raise CommandError(f"localstripe exited with {server.returncode}")
