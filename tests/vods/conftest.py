from __future__ import annotations

from pathlib import Path

import pytest

from tests.vods.factories import FFMPEG, sample_hls


@pytest.fixture(scope="session")
def hls_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FFMPEG:
        pytest.skip("ffmpeg is installed by scripts/bootstrap.sh")
    return sample_hls(tmp_path_factory.mktemp("vod-hls"))
