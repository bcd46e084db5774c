// The header bell: holds the personal socket /ws/me/ and keeps the unread count live.
// Server frames: `notification.unread {count}`, `notification.new {notification}`.
// It reconnects with exponential back-off and jitter, pings to keep proxies awake, and stops
// for good when the server closes with 4401 (signed out). Without JavaScript the bell is a
// plain link to /notifications/ with the count rendered by the server.

const PING_MS = 25000;
const MAX_BACKOFF_MS = 30000;
const CLOSE_NOT_AUTHENTICATED = 4401;

function setCount(bell, count) {
  const badge = bell.querySelector("[data-bell-count]");
  const value = Math.max(0, Number(count) || 0);
  bell.dataset.unread = String(value);
  if (badge) {
    badge.textContent = value > 99 ? "99+" : String(value);
    badge.hidden = value === 0;
  }
  bell.setAttribute("aria-label", `Notifications, ${value} unread`);
}

function announce(notification) {
  // A toast, reusing the site's toast region when the page has one.
  const region = document.querySelector("[data-toasts]") || document.querySelector(".toasts");
  if (!region || !notification) return;
  const toast = document.createElement("a");
  toast.className = "toast toast-info notification-toast";
  toast.href = notification.url || "/notifications/";
  const title = document.createElement("strong");
  title.textContent = notification.title || "New notification";
  toast.append(title);
  if (notification.text) {
    const text = document.createElement("span");
    text.textContent = ` ${notification.text}`;
    toast.append(text);
  }
  region.append(toast);
  setTimeout(() => toast.remove(), 8000);
}

function open(bell) {
  const path = bell.dataset.wsPath || "/ws/me/";
  let attempts = 0;
  let pingTimer = null;

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}${path}`);
    socket.addEventListener("open", () => {
      attempts = 0;
      pingTimer = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), PING_MS);
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === "notification.unread") {
        setCount(bell, frame.count);
      } else if (frame.type === "notification.new") {
        setCount(bell, Number(bell.dataset.unread || 0) + 1);
        announce(frame.notification);
        document.dispatchEvent(new CustomEvent("aethex:notification", { detail: frame.notification }));
      }
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      if (event.code === CLOSE_NOT_AUTHENTICATED) return;
      attempts += 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts);
      setTimeout(connect, backoff / 2 + Math.random() * (backoff / 2));
    });
  }

  const badge = bell.querySelector("[data-bell-count]");
  bell.dataset.unread = badge && !badge.hidden ? badge.textContent.replace("+", "") : "0";
  connect();
}

const bell = document.querySelector("[data-bell]");
if (bell && "WebSocket" in window) open(bell);
