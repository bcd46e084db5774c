"""`make run` (scripts/run.sh) starts every process of Procfile.dev (the demo stream only on request)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_starts_every_procfile_process():
    procfile = {
        line.split(":", 1)[0]
        for line in (ROOT / "Procfile.dev").read_text().splitlines()
        if re.match(r"^[a-z]+:", line)
    }
    started = re.search(r"^processes=\(([^)]*)\)$", (ROOT / "scripts/run.sh").read_text(), re.M)
    assert started is not None
    assert set(started.group(1).split()) == procfile - {"demo"}
    assert "stripe" in procfile  # the local Stripe test server: payments work offline in make run
