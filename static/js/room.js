// The room socket /ws/chat/<slug>/: every viewer's page holds one (it is how viewers are counted).
// It reconnects with exponential back-off and jitter when it drops, and pings to keep proxies awake.
//
// One socket per path and page: the player (watch.js) and the chat panel (chat.js) both call
// openRoom() and share it. The modules start in whatever order they load, so frames received
// shortly after a (re)connect are kept and replayed to a listener that joins late: the chat
// panel then still sees `chat.welcome` and `chat.history` even if the player connected first.

const PING_MS = 25000;
const MAX_BACKOFF_MS = 30000;
const REPLAY_MS = 10000;
const REPLAY_MAX = 200;

const rooms = new Map();

function createRoom(path) {
  const listeners = new Set();
  let socket = null;
  let attempts = 0;
  let pingTimer = null;
  let retryTimer = null;
  let closed = false;
  let backlog = [];
  let backlogUntil = 0;
  let state = "connecting";

  function url() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${window.location.host}${path}`;
  }

  function setState(next) {
    state = next;
    for (const listener of listeners) listener.onState(next);
  }

  function connect() {
    if (closed) return;
    setState("connecting");
    socket = new WebSocket(url());
    socket.addEventListener("open", () => {
      attempts = 0;
      backlog = [];
      backlogUntil = Date.now() + REPLAY_MS;
      setState("open");
      pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!frame || typeof frame.type !== "string") return;
      if (Date.now() < backlogUntil && backlog.length < REPLAY_MAX) backlog.push(frame);
      for (const listener of listeners) listener.onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      setState("closed");
      if (closed || event.code === 4404) return; // 4404: the channel does not exist
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
      attempts += 1;
      retryTimer = setTimeout(connect, delay);
    });
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  // Reconnect at once when the tab comes back online instead of waiting out the back-off.
  window.addEventListener("online", () => {
    if (socket && socket.readyState === WebSocket.CLOSED) {
      clearTimeout(retryTimer);
      attempts = 0;
      connect();
    }
  });

  function subscribe(listener) {
    listeners.add(listener);
    if (socket) {
      listener.onState(state);
      // Late joiner: replay what arrived since the socket opened (welcome, history, status).
      if (Date.now() < backlogUntil) for (const frame of backlog) listener.onFrame(frame);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        closed = true;
        clearTimeout(retryTimer);
        clearInterval(pingTimer);
        socket?.close();
        rooms.delete(path);
      }
    };
  }

  return { connect, send, subscribe, isOpen: () => socket?.readyState === WebSocket.OPEN };
}

export function openRoom(path, onFrame, { onState = () => {} } = {}) {
  let room = rooms.get(path);
  const fresh = !room;
  if (fresh) {
    room = createRoom(path);
    rooms.set(path, room);
  }
  const unsubscribe = room.subscribe({ onFrame, onState });
  if (fresh) room.connect();
  return {
    send: room.send,
    isOpen: room.isOpen,
    close: unsubscribe,
  };
}
