"""Presence heartbeats: one per room per process, for all of that process's viewers.

A viewer's presence entry expires after PRESENCE_TTL_SECONDS unless refreshed, so a crashed
process stops counting its viewers on its own. Refreshing from each socket cost a Redis
transaction per socket every TTL/3 seconds: 100 a second in a process holding 1,500 viewers,
a quarter of its CPU, in bursts (a raid's sockets all beat together) that delayed chat. Here
each room of the process is refreshed in one pipeline per beat, whatever its size.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from django.conf import settings

from streams import presence

logger = logging.getLogger(__name__)


class RoomBeat:
    def __init__(self, stream_of: Callable[[str], int | None]) -> None:
        # slug -> {connection id: viewer key} of this process's counted sockets
        self.rooms: dict[str, dict[str, str]] = {}
        self._stream_of = stream_of  # the live stream each room shows (its audience grows with beats)
        self._task: asyncio.Task[None] | None = None

    def add(self, slug: str, conn: str, viewer: str) -> None:
        self.rooms.setdefault(slug, {})[conn] = viewer
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._run())

    def discard(self, slug: str, conn: str) -> None:
        """Stop refreshing a socket (before its presence entry is removed: later beats never re-add it)."""
        room = self.rooms.get(slug)
        if room is not None:
            room.pop(conn, None)
            if not room:
                del self.rooms[slug]

    async def _run(self) -> None:
        while self.rooms:
            await asyncio.sleep(settings.PRESENCE_TTL_SECONDS / 3)
            for slug, conns in list(self.rooms.items()):
                viewers: dict[str, list[str]] = {}
                for conn, viewer in conns.items():
                    viewers.setdefault(viewer, []).append(conn)
                try:
                    await presence.store().refresh(slug, viewers, self._stream_of(slug))
                except Exception:  # presence is a figure, not a gate: the next beat tries again
                    logger.warning("presence refresh failed for %s", slug, exc_info=True)
