"""Run a snippet in a fresh interpreter with its own environment: settings are read once per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_PARTS = (
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "EMAIL_URL",
    "DEBUG",
    "SECRET_KEY",
)
# Set by browser tests for Playwright's event loop; it would silence check --deploy's async.E001 guard.
TEST_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def run_django(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_PARTS + TEST_ONLY}
    base.update({"DJANGO_SETTINGS_MODULE": "aethex.settings", "VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
