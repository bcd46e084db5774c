// The VOD page: hls.js playback, resume where the viewer stopped, progress saves, the scrubbing
// strip, and the chat replay kept in step with the playback time.
//
// Chat replay: messages are fetched by time window (GET .../chat?start=&end=) ahead of the play
// head and shown once their offset (seconds after the stream started) is reached. A seek clears
// the panel and fetches again around the new time.

import { readableColor } from "./chat-colors.js";
import { badgeNode, el, fragmentNodes } from "./chat-render.js";

const WINDOW_SECONDS = 60; // one request covers this much playback (the API allows 300)
const PREFETCH_SECONDS = 20; // fetch the next window this long before the loaded range ends
const CONTEXT_SECONDS = 30; // after a seek, also show what was said just before
const MAX_LINES = 200;
const SAVE_MS = 10000;
const TICK_MS = 250; // timeupdate fires only ~4 times a second in some browsers; this keeps pace
const BACKGROUND = [21, 20, 28]; // --bg-raised, for readable name colours

export function formatClock(seconds) {
  const total = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

class ChatReplay {
  constructor({ list, status, url, me }) {
    this.list = list;
    this.status = status;
    this.url = url;
    this.me = me ? { username: me } : null;
    this.hint = status.textContent; // "messages appear as they were sent", until the first one does
    this.generation = 0; // bumps on every seek, so answers for an old position are dropped
    this.reset(0);
  }

  reset(time) {
    this.generation += 1;
    this.queue = [];
    this.seen = new Set();
    this.loadedFrom = Math.max(0, Math.floor(time) - CONTEXT_SECONDS);
    this.loadedUntil = this.loadedFrom;
    this.loading = false;
    this.list.replaceChildren();
    this.status.textContent = this.hint;
    this.status.hidden = false;
  }

  async fetchMore() {
    if (this.loading) return;
    this.loading = true;
    const generation = this.generation;
    const start = this.loadedUntil;
    const end = start + WINDOW_SECONDS;
    try {
      const response = await fetch(`${this.url}?start=${start}&end=${end}`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`chat replay answered ${response.status}`);
      const data = await response.json();
      if (generation !== this.generation) return;
      for (const message of data.messages) {
        if (this.seen.has(message.id)) continue;
        this.seen.add(message.id);
        this.queue.push(message);
      }
      // A window cut short (a very busy chat) continues from its last message.
      const last = data.messages[data.messages.length - 1];
      this.loadedUntil = data.truncated && last ? last.offset : end;
      if (!this.list.childElementCount) this.status.textContent = this.hint;
    } catch (error) {
      console.warn(error);
      if (generation === this.generation) {
        this.status.hidden = false;
        this.status.textContent = "The chat replay could not be loaded; retrying…";
      }
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  tick(time) {
    if (time + PREFETCH_SECONDS >= this.loadedUntil) this.fetchMore();
    const follow = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    let added = false;
    while (this.queue.length && this.queue[0].offset <= time) {
      this.list.append(this.line(this.queue.shift()));
      added = true;
    }
    if (!added) return;
    this.status.hidden = true;
    while (this.list.childElementCount > MAX_LINES) this.list.firstElementChild.remove();
    if (follow) this.list.scrollTop = this.list.scrollHeight;
  }

  line(message) {
    const user = message.user || {};
    const line = el("div", "chat-line");
    line.dataset.id = String(message.id);
    line.dataset.offset = String(message.offset);
    line.append(el("span", "replay-time mono", formatClock(message.offset)));
    const badges = Array.isArray(message.badges) ? message.badges : [];
    if (badges.length) {
      const wrap = el("span", "chat-badges");
      for (const badge of badges) wrap.append(badgeNode(badge));
      line.append(wrap);
    }
    const name = el("span", "chat-name", user.display_name || user.username || "someone");
    name.style.color = readableColor(user.color, user.username, BACKGROUND);
    const text = el("span", "chat-text");
    const { nodes, mentionsMe } = fragmentNodes(message, this.me);
    text.append(...nodes);
    if (mentionsMe) line.classList.add("is-mention");
    line.append(name, el("span", "chat-colon", ": "), text);
    return line;
  }
}

function saveProgress(config, csrf, position, { beacon = false } = {}) {
  if (!config.progress_url || !Number.isFinite(position)) return;
  if (beacon && navigator.sendBeacon) {
    // A beacon cannot carry headers: the CSRF token travels as a form field.
    const form = new FormData();
    form.append("position", String(position));
    form.append("csrfmiddlewaretoken", csrf);
    navigator.sendBeacon(config.progress_url, form);
    return;
  }
  fetch(config.progress_url, {
    method: "PUT",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ position }),
  }).catch(() => {});
}

function setupStrip(root, video, strip) {
  const bar = root.querySelector("[data-scrubber]");
  const fill = root.querySelector("[data-scrubber-fill]");
  const preview = root.querySelector("[data-scrub-preview]");
  const label = root.querySelector("[data-scrub-time]");
  if (!bar || !strip) return;
  bar.hidden = false;
  preview.style.width = `${strip.tile_width}px`;
  preview.style.height = `${strip.tile_height}px`;
  preview.style.backgroundImage = `url("${strip.url}")`;
  const timeAt = (event) => {
    const box = bar.getBoundingClientRect();
    const ratio = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    return { ratio, time: ratio * (video.duration || 0) };
  };
  bar.addEventListener("pointermove", (event) => {
    const { ratio, time } = timeAt(event);
    const tile = Math.floor(time / strip.interval);
    const column = tile % strip.columns;
    const row = Math.floor(tile / strip.columns);
    preview.style.backgroundPosition = `-${column * strip.tile_width}px -${row * strip.tile_height}px`;
    const half = strip.tile_width / 2;
    const x = Math.min(bar.clientWidth - half, Math.max(half, ratio * bar.clientWidth));
    preview.style.left = `${x - half}px`;
    label.textContent = formatClock(time);
    preview.hidden = false;
  });
  bar.addEventListener("pointerleave", () => {
    preview.hidden = true;
  });
  bar.addEventListener("click", (event) => {
    video.currentTime = timeAt(event).time;
  });
  video.addEventListener("timeupdate", () => {
    fill.style.width = `${video.duration ? (100 * video.currentTime) / video.duration : 0}%`;
  });
}

async function attach(video, url, hlsModuleUrl, startAt) {
  let Hls = null;
  try {
    const module = await import(hlsModuleUrl);
    Hls = module.default.isSupported() ? module.default : null;
  } catch (error) {
    console.warn("hls.js could not be loaded; trying the browser's own HLS", error);
  }
  if (Hls) {
    const hls = new Hls({ startPosition: startAt > 0 ? startAt : -1, maxBufferLength: 30 });
    hls.loadSource(url);
    hls.attachMedia(video);
    return hls;
  }
  video.src = url; // Safari and iOS
  if (startAt > 0) video.addEventListener("loadedmetadata", () => (video.currentTime = startAt), { once: true });
  return null;
}

function setupResume(root, video, config) {
  const box = root.querySelector("[data-resume]");
  const resume = Number(config.resume || 0);
  // Barely started, or in the last 10 % (at most 30 s, the credits): start over without asking.
  const tail = config.duration ? config.duration - Math.min(30, config.duration * 0.1) : Infinity;
  if (!box || resume < 3 || resume >= tail) return 0;
  const proceed = box.querySelector("[data-resume-continue]");
  proceed.textContent = `Resume from ${formatClock(resume)}`;
  box.hidden = false;
  proceed.addEventListener("click", () => {
    box.hidden = true;
    video.play().catch(() => {});
  });
  box.querySelector("[data-resume-restart]").addEventListener("click", () => {
    box.hidden = true;
    video.currentTime = 0;
    video.play().catch(() => {});
  });
  video.addEventListener("playing", () => setTimeout(() => (box.hidden = true), 5000), { once: true });
  return resume;
}

async function initVod(root) {
  const config = JSON.parse(document.getElementById("vod-config").textContent);
  const video = root.querySelector("#vod-video");
  const csrf = root.dataset.csrf || "";
  const replay = new ChatReplay({
    list: root.querySelector("[data-replay-list]"),
    status: root.querySelector("[data-replay-status]"),
    url: config.chat_url,
    me: root.dataset.me || "",
  });
  const startAt = setupResume(root, video, config);
  replay.reset(startAt);
  setupStrip(root, video, config.strip);

  video.addEventListener("seeking", () => {
    replay.reset(video.currentTime);
    replay.tick(video.currentTime);
  });
  video.addEventListener("timeupdate", () => replay.tick(video.currentTime));
  setInterval(() => {
    if (!video.paused) replay.tick(video.currentTime);
  }, TICK_MS);
  replay.tick(startAt);

  // Progress: every SAVE_MS while playing, on pause, and by beacon when the page goes away.
  let savedAt = -1;
  const save = (options) => {
    const position = Math.floor(video.currentTime * 10) / 10;
    if (position === savedAt) return;
    savedAt = position;
    saveProgress(config, csrf, position, options);
  };
  if (config.progress_url) {
    setInterval(() => !video.paused && save(), SAVE_MS);
    video.addEventListener("pause", () => save());
    window.addEventListener("pagehide", () => save({ beacon: true }));
    document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && save({ beacon: true }));
  }

  await attach(video, config.playlist, root.dataset.hlsModule, startAt);
  video.play().catch(() => {}); // autoplay may be refused: the controls are there
  window.aethexVod = { video, replay };
}

for (const root of document.querySelectorAll("[data-vod]")) initVod(root);
