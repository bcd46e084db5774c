// The room socket /ws/chat/<slug>/: every viewer's page holds one (it is how viewers are counted).
// It reconnects with exponential back-off and jitter when it drops, and pings to keep proxies awake.

const PING_MS = 25000;
const MAX_BACKOFF_MS = 30000;

export function openRoom(path, onFrame, { onState = () => {} } = {}) {
  let socket = null;
  let attempts = 0;
  let pingTimer = null;
  let retryTimer = null;
  let closed = false;

  function url() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${window.location.host}${path}`;
  }

  function connect() {
    if (closed) return;
    socket = new WebSocket(url());
    socket.addEventListener("open", () => {
      attempts = 0;
      onState("open");
      pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame && typeof frame.type === "string") onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      onState("closed");
      if (closed || event.code === 4404) return; // 4404: the channel does not exist
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
      attempts += 1;
      retryTimer = setTimeout(connect, delay);
    });
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  // Reconnect at once when the tab comes back online instead of waiting out the back-off.
  window.addEventListener("online", () => {
    if (socket && socket.readyState === WebSocket.CLOSED) {
      clearTimeout(retryTimer);
      attempts = 0;
      connect();
    }
  });

  connect();
  return {
    send,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      socket?.close();
    },
  };
}
