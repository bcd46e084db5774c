"""The room fan-out's raw frame writer, against a real uvicorn server and a real WebSocket client."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn
from channels.auth import AuthMiddlewareStack
from websockets.asyncio.client import connect

from aethex.lib import wsframe
from aethex.lib.wsframe import RawSocket, text_frame


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def _server(app: Callable[..., Any], **options: Any) -> AsyncIterator[int]:
    port = _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        ws="websockets-sansio",
        **options,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


def _raw_app(payloads: list[str], found: list[RawSocket | None]) -> Callable[..., Any]:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        raw = RawSocket.of(send)
        found.append(raw)
        for payload in payloads:
            if raw is not None:
                raw.write(text_frame(payload.encode()))
        await send({"type": "websocket.send", "text": "done"})  # the ASGI path shares the stream
        while (await receive())["type"] != "websocket.disconnect":
            pass

    return app


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 200_000])
def test_text_frame_header_encodes_every_length_class(size: int) -> None:
    frame = text_frame(b"x" * size)
    assert frame[0] == 0x81  # FIN + text, never masked (server to client)
    if size < 126:
        assert frame[1] == size and len(frame) == size + 2
    elif size < 65536:
        assert frame[1] == 126 and int.from_bytes(frame[2:4], "big") == size
    else:
        assert frame[1] == 127 and int.from_bytes(frame[2:10], "big") == size


# The site's auth middleware may touch the database (session, user) from the server's thread.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stack", ["bare", "site middleware"])
async def test_raw_frames_reach_a_real_client_in_order_with_asgi_frames(stack: str) -> None:
    payloads = ['{"n":1,"text":"héllo 👋"}', "y" * 300, "z" * 70_000]
    found: list[RawSocket | None] = []
    app = _raw_app(payloads, found)
    if stack == "site middleware":  # what aethex/asgi.py puts in front of the room consumer
        app = AuthMiddlewareStack(app)
    async with (
        _server(app, ws_per_message_deflate=False) as port,
        connect(f"ws://127.0.0.1:{port}/", compression=None) as client,
    ):
        received = [await asyncio.wait_for(client.recv(), 20) for _ in range(len(payloads) + 1)]
    assert found and found[0] is not None
    assert received == [*payloads, "done"]


async def test_compressed_connections_keep_the_asgi_path() -> None:
    found: list[RawSocket | None] = []
    async with (
        _server(_raw_app([], found), ws_per_message_deflate=True) as port,
        connect(f"ws://127.0.0.1:{port}/", compression="deflate") as client,
    ):
        assert await client.recv() == "done"
    assert found == [None]


def test_other_senders_are_not_raw() -> None:
    async def send(message: dict[str, Any]) -> None:
        return None

    assert RawSocket.of(send) is None


async def test_a_viewer_that_stops_reading_is_dropped_not_buffered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wsframe, "MAX_BACKLOG_BYTES", 64 * 1024)
    results: list[bool] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        raw = RawSocket.of(send)
        assert raw is not None
        frame = text_frame(b"x" * 60_000)
        for _ in range(400):  # ~24 MB: far more than the kernel's socket buffers hold
            results.append(raw.write(frame))
            await asyncio.sleep(0)
        while (await receive())["type"] != "websocket.disconnect":
            pass

    async with _server(app, ws_per_message_deflate=False) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        await reader.readuntil(b"\r\n\r\n")  # the handshake, then never read again
        for _ in range(200):
            if len(results) == 400:
                break
            await asyncio.sleep(0.02)
        writer.close()
    assert results[0] is True
    assert results[-1] is False  # dropped once its backlog passed the limit
