"""The site's ASGI application plus static files, for uvicorn in the browser tests (nginx serves
/static/ in `make run`; here nothing else does)."""

from __future__ import annotations

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from aethex.asgi import application as site

application = ASGIStaticFilesHandler(site)
