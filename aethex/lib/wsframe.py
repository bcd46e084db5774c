"""Write one pre-encoded WebSocket text frame to many sockets: the room fan-out's hot path.

A server-to-client frame is never masked, so the bytes of a chat message are the same for every
viewer: build them once, then each socket costs one `transport.write`. Going through the ASGI
`send` instead costs, per socket, a coroutine, a UTF-8 encode, a frame serialisation and a
wait on the protocol's flow-control event — and that wait stalls the whole room while one slow
viewer's buffer drains.

`RawSocket.of(send)` recognises uvicorn's websockets-sansio protocol behind an ASGI `send` (the
bound method the server passes to the application, possibly wrapped by Channels' sessions).
Anything else — other servers, compression negotiated, test communicators — gets None and the
caller keeps the ASGI path.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

# A viewer whose unsent backlog passes this is not reading (a frozen tab, a dead link): drop the
# socket rather than buffer without bound; the client reconnects and reloads history.
MAX_BACKLOG_BYTES = 1 << 20


def text_frame(payload: bytes) -> bytes:
    """A final, unmasked text frame (RFC 6455 §5.2) carrying `payload` (UTF-8)."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


class RawSocket:
    __slots__ = ("_open_state", "_protocol")

    def __init__(self, protocol: Any, open_state: Any) -> None:
        self._protocol = protocol
        self._open_state = open_state

    @classmethod
    def of(cls, send: Callable[..., Any]) -> RawSocket | None:
        protocol: Any = getattr(send, "__self__", None)
        # Channels' session middleware wraps send to set cookies on HTTP responses; WebSocket
        # frames pass through it untouched, so look through it to the server's protocol.
        while hasattr(protocol, "real_send"):
            protocol = getattr(protocol.real_send, "__self__", None)
        try:
            from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
            from websockets.protocol import State
        except ImportError:  # pragma: no cover - uvicorn is a runtime dependency
            return None
        if not isinstance(protocol, WebSocketsSansIOProtocol):
            return None
        if protocol.conn.extensions:  # permessage-deflate would need a per-socket compressor
            return None
        return cls(protocol, State.OPEN)

    def write(self, frame: bytes) -> bool:
        """Queue the frame; False when the socket is closing or was dropped for not reading."""
        protocol = self._protocol
        transport = protocol.transport
        if protocol.close_sent or transport.is_closing() or protocol.conn.state is not self._open_state:
            return False
        if transport.get_write_buffer_size() > MAX_BACKLOG_BYTES:
            transport.abort()
            return False
        transport.write(frame)
        return True
