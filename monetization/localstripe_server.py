"""Run localstripe (the offline Stripe test server) on a private address, keeping nothing on disk.

`python -m monetization.localstripe_server --port N` (the test fixture) and `manage.py
runlocalstripe` (make run) both end here. localstripe's CLI binds every interface and pickles its
store to /tmp after each write; this binds one address and keeps the store in memory only.
"""

from __future__ import annotations

import argparse
import logging


def serve(host: str, port: int) -> None:
    from aiohttp import web
    from localstripe import resources, server

    resources.Store.dump_to_disk = lambda self: None
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    web.run_app(server.app, host=host, port=port, print=None, access_log=None)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve(args.host, args.port)
