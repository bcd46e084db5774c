// The creator dashboard: the live status card and the health charts, refreshed every few seconds
// from the Stream page's JSON view; the channel switcher submits on change.

import { drawLineChart } from "./chart.js";
import { formatNumber, tickUptimes } from "./format.js";

const POLL_MS = 5000;

function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function kbps(bits) {
  return typeof bits === "number" ? bits / 1000 : null;
}

function fpsOf(sample) {
  return sample.fps_measured ?? sample.fps_declared ?? null;
}

function showStatus(card, status) {
  const live = status.status === "live";
  card.classList.toggle("is-live", live);
  for (const node of document.querySelectorAll("[data-when-live]")) node.hidden = !live;
  for (const node of document.querySelectorAll("[data-when-offline]")) node.hidden = live;
  const uptime = card.querySelector("[data-uptime]");
  if (uptime) uptime.dataset.startedAt = status.started_at || "";
  const viewers = card.querySelector("[data-viewers]");
  if (viewers) viewers.textContent = formatNumber(status.viewer_count || 0);
  const title = card.querySelector("[data-title]");
  if (title) title.textContent = status.title || "Untitled stream";
}

function showStats(samples) {
  const latest = samples[samples.length - 1];
  const set = (name, text) => {
    const node = document.querySelector(`[data-stat="${name}"]`);
    if (node) node.textContent = text;
  };
  if (!latest) {
    for (const name of ["bitrate", "fps", "resolution", "codec", "dropped"]) set(name, "–");
    return;
  }
  const fps = fpsOf(latest);
  set("bitrate", `${formatNumber(Math.round(kbps(latest.bitrate_in)))} kbps`);
  set("fps", fps === null ? "–" : `${Math.round(fps)} fps`);
  set("resolution", latest.width ? `${latest.width}×${latest.height}` : "–");
  const codecs = [latest.video_codec, latest.audio_codec].filter(Boolean).join(" / ");
  set("codec", codecs || "–");
  set("dropped", formatNumber(latest.dropped_frames || 0));
}

function drawCharts(samples, windowSeconds) {
  const charts = document.querySelector("[data-charts]");
  const empty = document.querySelector("[data-charts-empty]");
  if (!charts) return;
  charts.hidden = samples.length === 0;
  if (empty) empty.hidden = samples.length > 0;
  if (!samples.length) return;
  const now = Date.now();
  const at = (s) => new Date(s.taken_at).getTime();
  drawLineChart(
    charts.querySelector('[data-chart="bitrate"]'),
    [
      { name: "total", className: "series-1", area: true, points: samples.map((s) => [at(s), kbps(s.bitrate_in)]) },
      { name: "video", className: "series-3", dashed: true, points: samples.map((s) => [at(s), kbps(s.bitrate_video)]) },
    ],
    { windowSeconds, now, unit: "kbps", format: (v) => formatNumber(Math.round(v)) },
  );
  drawLineChart(
    charts.querySelector('[data-chart="fps"]'),
    [
      { name: "measured", className: "series-2", area: true, points: samples.map((s) => [at(s), fpsOf(s)]) },
      { name: "declared", className: "series-3", dashed: true, points: samples.map((s) => [at(s), s.fps_declared]) },
    ],
    { windowSeconds, now, unit: "fps" },
  );
}

function initLiveStatus(card) {
  let samples = readJson("health-data")?.samples || [];
  let windowSeconds = 600;
  const status = readJson("stream-status");
  if (status) showStatus(card, status);
  showStats(samples);
  drawCharts(samples, windowSeconds);
  tickUptimes(card);

  async function poll() {
    if (document.hidden) return;
    try {
      const response = await fetch(card.dataset.healthUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const data = await response.json();
      samples = data.samples;
      windowSeconds = data.window_seconds || windowSeconds;
      showStatus(card, data.status);
      showStats(samples);
      drawCharts(samples, windowSeconds);
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  }
  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
  new ResizeObserver(() => drawCharts(samples, windowSeconds)).observe(document.querySelector("[data-charts]") || card);
}

const card = document.getElementById("live-status");
if (card) initLiveStatus(card);

document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
