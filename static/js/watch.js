// The channel page and the embed: the player, the live/offline state, the stream's info and
// viewer count, all kept current by the room socket (which also counts this viewer).

import { formatNumber, tickUptimes, timeAgo } from "./format.js";
import { LivePlayer } from "./player.js";
import { openRoom } from "./room.js";

const CHAT_KEY = "aethex:chat-collapsed";

function $(root, selector) {
  return root.querySelector(selector);
}

function setHidden(node, hidden) {
  if (node) node.hidden = hidden;
}

function initWatch(root) {
  const video = $(root, "video#player");
  const statusNode = document.getElementById("stream-status");
  if (!video || !statusNode) return;

  const ui = {
    player: $(root, "[data-player]"),
    offline: $(root, "[data-offline]"),
    loading: $(root, "[data-loading]"),
    controls: $(root, "[data-controls]"),
    unmute: $(root, "[data-unmute]"),
    mute: $(root, "[data-mute]"),
    volume: $(root, "[data-volume]"),
    qualityWrap: $(root, "[data-quality-wrap]"),
    quality: $(root, "[data-quality]"),
    fullscreen: $(root, "[data-fullscreen]"),
    lastLive: $(root, "[data-last-live]"),
    title: $(root, "[data-stream-title]"),
    category: $(root, "[data-stream-category]"),
    tags: $(root, "[data-stream-tags]"),
    liveLine: $(root, "[data-live-line]"),
    viewers: $(root, "[data-viewers]"),
    uptime: $(root, "[data-uptime]"),
    avatarRing: $(root, "[data-avatar-ring]"),
  };

  let current = { status: "offline" };

  const player = new LivePlayer(video, {
    hlsModuleUrl: root.dataset.hlsModule,
    onLevels: showLevels,
    onLevelSwitched: showLevelSwitched,
    onPlaying: () => setHidden(ui.loading, true),
  });

  // --- Quality picker: only when the stream has a ladder -------------------------------------
  function showLevels(levels) {
    if (!ui.quality) return;
    const usable = levels.filter((level) => level.height);
    ui.quality.replaceChildren();
    if (usable.length < 2) {
      setHidden(ui.qualityWrap, true);
      return;
    }
    ui.quality.append(new Option("Auto", "-1", true, true));
    for (const level of [...usable].sort((a, b) => b.height - a.height)) {
      ui.quality.append(new Option(`${level.height}p`, String(level.index)));
    }
    setHidden(ui.qualityWrap, false);
  }

  function showLevelSwitched(height, auto) {
    if (!ui.quality || !auto || !ui.quality.options.length) return;
    ui.quality.options[0].textContent = height ? `Auto (${height}p)` : "Auto";
  }

  ui.quality?.addEventListener("change", () => player.setLevel(Number(ui.quality.value)));

  // --- Sound ---------------------------------------------------------------------------------
  function showMuted() {
    const muted = video.muted || video.volume === 0;
    setHidden(ui.unmute, !muted || current.status !== "live");
    if (ui.mute) {
      ui.mute.setAttribute("aria-pressed", String(muted));
      ui.mute.setAttribute("aria-label", muted ? "Unmute" : "Mute");
      ui.mute.classList.toggle("is-muted", muted);
    }
    if (ui.volume) ui.volume.value = muted ? "0" : String(video.volume);
  }

  function unmute() {
    video.muted = false;
    if (video.volume === 0) video.volume = 1;
    video.play().catch(() => {});
  }

  ui.unmute?.addEventListener("click", unmute);
  ui.mute?.addEventListener("click", () => (video.muted ? unmute() : (video.muted = true)));
  ui.volume?.addEventListener("input", () => {
    video.volume = Number(ui.volume.value);
    video.muted = video.volume === 0;
  });
  video.addEventListener("volumechange", showMuted);

  ui.fullscreen?.addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (ui.player.requestFullscreen) ui.player.requestFullscreen();
    else if (video.webkitEnterFullscreen) video.webkitEnterFullscreen(); // iPhone
  });
  video.addEventListener("dblclick", () => ui.fullscreen?.click());

  // --- Live / offline ------------------------------------------------------------------------
  function showInfo(status) {
    if (ui.title && status.title !== undefined) ui.title.textContent = status.title || "No title yet";
    if (ui.category) {
      ui.category.textContent = status.category || "";
      setHidden(ui.category, !status.category);
    }
    if (ui.tags && Array.isArray(status.tags)) {
      ui.tags.replaceChildren(
        ...status.tags.map((tag) => {
          const chip = document.createElement("span");
          chip.className = "tag";
          chip.textContent = tag;
          return chip;
        }),
      );
    }
    const name = root.dataset.channelName;
    if (name) {
      const site = root.dataset.siteName || "AeThex Live";
      const live = status.status === "live" && status.title;
      document.title = live ? `${name}: ${status.title} · ${site}` : `${name} · ${site}`;
    }
  }

  function showViewers(count) {
    if (ui.viewers) {
      ui.viewers.textContent = formatNumber(count);
      ui.viewers.parentElement.title = `${formatNumber(count)} watching now`;
    }
  }

  function goLive(status) {
    const restart = current.status !== "live" || current.stream_id !== status.stream_id || !player.active;
    ui.player?.classList.replace("is-offline", "is-live");
    setHidden(ui.offline, true);
    setHidden(ui.controls, false);
    setHidden(ui.liveLine, false);
    ui.avatarRing?.classList.add("is-live");
    if (ui.uptime && status.started_at) ui.uptime.dataset.startedAt = status.started_at;
    if (typeof status.viewer_count === "number") showViewers(status.viewer_count);
    if (restart && status.hls_url) {
      setHidden(ui.loading, false);
      player.stop();
      player.play(status.hls_url);
    }
  }

  function goOffline(status) {
    player.stop();
    ui.player?.classList.replace("is-live", "is-offline");
    setHidden(ui.offline, false);
    setHidden(ui.loading, true);
    setHidden(ui.controls, true);
    setHidden(ui.qualityWrap, true);
    setHidden(ui.liveLine, true);
    ui.avatarRing?.classList.remove("is-live");
    if (ui.lastLive && status.last_live_at) {
      ui.lastLive.dataset.lastLiveAt = status.last_live_at;
    }
    showLastLive();
  }

  function showLastLive() {
    const iso = ui.lastLive?.dataset.lastLiveAt;
    if (iso) ui.lastLive.textContent = `Last live ${timeAgo(iso)}`;
  }

  function apply(status) {
    showInfo(status);
    if (status.status === "live") goLive(status);
    else goOffline(status);
    current = status;
    showMuted();
  }

  // --- Chat panel (collapsible; under the player on phones) ---------------------------------
  const layout = root.closest(".watch") || root;
  function setChatCollapsed(collapsed) {
    layout.classList.toggle("chat-collapsed", collapsed);
    for (const button of document.querySelectorAll("[data-chat-toggle]")) {
      button.setAttribute("aria-expanded", String(!collapsed));
    }
    try {
      localStorage.setItem(CHAT_KEY, collapsed ? "1" : "0");
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-chat-toggle]")) {
      setChatCollapsed(!layout.classList.contains("chat-collapsed"));
    }
  });
  try {
    if (localStorage.getItem(CHAT_KEY) === "1") setChatCollapsed(true);
  } catch {
    // ignore
  }

  // --- Start ---------------------------------------------------------------------------------
  apply(JSON.parse(statusNode.textContent));
  tickUptimes(root);
  setInterval(showLastLive, 60000);

  openRoom(root.dataset.wsPath, (frame) => {
    if (frame.type === "stream.status") apply(frame);
    else if (frame.type === "presence") showViewers(frame.viewers);
  });
}

for (const root of document.querySelectorAll("[data-watch]")) initWatch(root);
