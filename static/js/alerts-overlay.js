// The OBS alerts overlay: one socket (token from this page's URL), a queue so alerts never overlap,
// an enter/exit animation, the alert's sound and, when asked, text-to-speech. All text goes in with
// textContent: donor names and messages are never parsed as HTML.

const MIN_SECONDS = 2;
const MAX_SECONDS = 30;
const EXIT_MS = 450;
const QUEUE_MAX = 100;
const SPEECH_MAX = 200;
const PING_MS = 25_000;
const SPEECH_START_MS = 1500;
const SPEECH_MAX_MS = 20_000; // 200 characters take ~15 s to read

const stage = document.querySelector("[data-alerts]");
const queue = [];
let playing = false;
let played = 0;

const ICONS = { follow: "♥", subscription: "★", gift: "🎁", donation: "$", raid: "⚑" };

function clampSeconds(value) {
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) return 6;
  return Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, seconds));
}

// What the speech engine reads: no links, no control characters, no "aaaaaaaa" or "!!!!!!!!" runs.
export function speakable(text) {
  return String(text || "")
    .replace(/https?:\/\/\S+/gi, "")
    .replace(/[\u0000-\u001f\u007f<>{}[\]\\|^`~_*#]/g, " ")
    .replace(/(.)\1{3,}/gu, "$1$1$1")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, SPEECH_MAX);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function card(alert) {
  const node = element("div", `alert-card alert-kind-${String(alert.kind).replace(/[^a-z]/g, "")}`);
  node.dataset.alertId = String(alert.id);
  node.setAttribute("role", "status");
  node.append(element("div", "alert-card-icon", ICONS[alert.kind] || "!"));
  const body = element("div", "alert-card-body");
  body.append(element("p", "alert-card-title", alert.title));
  if (alert.detail) body.append(element("p", "alert-card-detail", alert.detail));
  if (alert.message) body.append(element("p", "alert-card-message", alert.message));
  node.append(body);
  if (alert.test) node.append(element("span", "alert-card-test", "TEST"));
  return node;
}

function playSound(alert) {
  if (!alert.sound || !String(alert.sound).startsWith("/")) return; // only our own static files
  const audio = new Audio(alert.sound);
  audio.volume = Math.min(1, Math.max(0, Number(alert.volume ?? 70) / 100));
  audio.play().catch(() => {}); // a browser without autoplay simply stays silent
}

function speak(alert) {
  if (!alert.tts || !("speechSynthesis" in window)) return null;
  const text = speakable([alert.title, alert.message].filter(Boolean).join(". "));
  if (!text) return null;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.volume = Math.min(1, Math.max(0, Number(alert.volume ?? 70) / 100));
  return new Promise((resolve) => {
    // A machine without a speech engine never starts (nor ends): do not hold the queue for it.
    const silent = setTimeout(resolve, SPEECH_START_MS);
    utterance.onstart = () => clearTimeout(silent);
    utterance.onend = resolve;
    utterance.onerror = resolve;
    window.speechSynthesis.speak(utterance);
  });
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function show(alert) {
  const node = card(alert);
  stage.append(node);
  requestAnimationFrame(() => node.classList.add("is-in"));
  playSound(alert);
  const speech = speak(alert);
  await wait(clampSeconds(alert.duration) * 1000);
  // Let a long message finish being read, but never hold the queue beyond the maximum.
  if (speech) await Promise.race([speech, wait(SPEECH_MAX_MS)]);
  node.classList.remove("is-in");
  node.classList.add("is-out");
  await wait(EXIT_MS);
  node.remove();
}

async function drain() {
  if (playing) return;
  playing = true;
  while (queue.length) {
    await show(queue.shift());
    played += 1;
    stage.dataset.played = String(played);
  }
  playing = false;
}

function enqueue(alert) {
  if (!alert || typeof alert !== "object") return;
  if (queue.length >= QUEUE_MAX) queue.shift(); // a flood drops the oldest waiting alerts
  queue.push(alert);
  drain();
}

function connect(attempt = 0) {
  const token = new URLSearchParams(window.location.search).get("token") || "";
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${window.location.host}${stage.dataset.wsPath}?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(url);
  let pinger = null;
  socket.addEventListener("open", () => {
    pinger = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), PING_MS);
  });
  socket.addEventListener("message", (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame.type === "ready") {
      attempt = 0;
      stage.dataset.connected = "true";
    } else if (frame.type === "alert") {
      enqueue(frame.alert);
    }
  });
  socket.addEventListener("close", (event) => {
    clearInterval(pinger);
    stage.dataset.connected = "false";
    if (event.code === 4403) {
      stage.dataset.revoked = "true"; // wrong or rotated token: retrying cannot help
      return;
    }
    // Back-off with jitter: 1 s, 2 s, 4 s … up to 30 s, so a restart is not a thundering herd.
    const delay = Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    setTimeout(() => connect(attempt + 1), delay);
  });
}

if (stage) connect();
