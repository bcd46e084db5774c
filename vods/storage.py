"""Files of a VOD in the default storage (local files or S3), addressed by prefix `vods/<id>/<token>`."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage


def vod_root(vod_id: int) -> str:
    return f"vods/{vod_id}"


def upload_dir(local: Path, prefix: str, *, storage: Storage | None = None) -> int:
    """Upload every file of `local` (flat) under `prefix/`; returns the bytes written."""
    storage = storage or default_storage
    written = 0
    for item in sorted(local.iterdir()):
        if item.is_file():
            with item.open("rb") as handle:
                storage.save(f"{prefix}/{item.name}", File(handle, name=item.name))
            written += item.stat().st_size
    return written


def list_tree(prefix: str, *, storage: Storage | None = None) -> list[str]:
    """Every file name under `prefix` (recursive); nothing when the folder does not exist."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        names.extend(list_tree(f"{prefix}/{folder}", storage=storage))
    return names


def delete_tree(prefix: str, *, keep: str = "", storage: Storage | None = None) -> int:
    """Delete every file under `prefix` except those under `keep`; returns how many went."""
    storage = storage or default_storage
    deleted = 0
    for name in list_tree(prefix, storage=storage):
        if keep and name.startswith(keep.rstrip("/") + "/"):
            continue
        storage.delete(name)
        deleted += 1
    _remove_empty_folders(prefix, storage)
    return deleted


def _remove_empty_folders(prefix: str, storage: Storage) -> None:
    """Local storage keeps empty folders behind; object storage has none, hence the guard."""
    try:
        root = Path(storage.path(prefix))
    except NotImplementedError:
        return
    if not root.is_dir():
        return
    for folder, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        with contextlib.suppress(OSError):
            Path(folder).rmdir()  # only succeeds when empty
