// The dashboard's Overview and per-stream report: the live status card and the viewer chart,
// refreshed every few seconds from /dashboard/overview.json; chat activity and report charts.

import { drawLineChart } from "./chart.js";
import { formatNumber, tickUptimes } from "./format.js";

const POLL_MS = 10000;
const MINUTE_GAP = 150; // minute samples: a line breaks only after two missed samples

function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

// Small counts get a decimal on the axis (a top of 2.5 must not read "3").
function axisNumber(value) {
  return value < 10 && !Number.isInteger(value) ? value.toFixed(1) : formatNumber(Math.round(value));
}

function draw(svg, points, options, className = "series-1") {
  if (!svg) return;
  drawLineChart(svg, [{ name: "main", className, area: true, points }], {
    gapSeconds: MINUTE_GAP,
    format: axisNumber,
    ...options,
  });
}

function initOverview(card, data) {
  const windowSeconds = data.window_seconds || 1800;
  const viewerSvg = document.querySelector('[data-chart="viewers"]');
  const chatSvg = document.querySelector('[data-chart="chat"]');
  let streamId = data.live.stream_id;
  let points = [...data.viewers];
  if (streamId) points.push([Date.parse(data.live.at), data.live.viewers]);

  const redraw = () => {
    draw(viewerSvg, points, { windowSeconds, unit: "viewers" });
    draw(chatSvg, data.chat, { windowSeconds: data.chat_window_seconds || 1800, unit: "msg/min" }, "series-2");
  };

  function show(live) {
    const isLive = live.status === "live";
    card.classList.toggle("is-live", isLive);
    for (const node of document.querySelectorAll("[data-when-live]")) node.hidden = !isLive;
    for (const node of document.querySelectorAll("[data-when-offline]")) node.hidden = isLive;
    const uptime = card.querySelector("[data-uptime]");
    if (uptime) uptime.dataset.startedAt = live.started_at || "";
    for (const node of document.querySelectorAll("[data-viewers]")) node.textContent = formatNumber(live.viewers || 0);
    const peak = card.querySelector("[data-peak]");
    if (peak) peak.textContent = formatNumber(live.peak_viewers || 0);
    const title = card.querySelector("[data-title]");
    if (title) title.textContent = live.title || "Untitled stream";
    const category = card.querySelector("[data-category]");
    if (category) category.textContent = live.category || "";
  }

  async function poll() {
    if (document.hidden) return;
    try {
      const response = await fetch(card.dataset.pollUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const live = await response.json();
      if (live.stream_id !== streamId) points = []; // a new stream starts a new line
      streamId = live.stream_id;
      if (streamId) points.push([Date.parse(live.at), live.viewers]);
      const cutoff = Date.now() - windowSeconds * 1000;
      points = points.filter(([t]) => t >= cutoff);
      show(live);
      redraw();
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  }

  show(data.live);
  redraw();
  tickUptimes(card);
  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
  new ResizeObserver(redraw).observe(card.parentElement);
}

function initReport(data) {
  const windowSeconds = Math.max(60, (data.end - data.start) / 1000);
  const labels = [
    [0, clock(data.start)],
    [0.5, clock((data.start + data.end) / 2)],
    [1, clock(data.end)],
  ];
  const redraw = () => {
    const options = { windowSeconds, now: data.end, xLabels: labels };
    draw(document.querySelector('[data-chart="report-viewers"]'), data.viewers, { ...options, unit: "viewers" });
    draw(document.querySelector('[data-chart="report-chat"]'), data.chat, { ...options, unit: "msg/min" }, "series-2");
  };
  redraw();
  new ResizeObserver(redraw).observe(document.querySelector(".settings-main") || document.body);
}

const overviewCard = document.getElementById("overview-live");
const overviewData = readJson("overview-data");
if (overviewCard && overviewData) initOverview(overviewCard, overviewData);

const reportData = readJson("report-data");
if (reportData) initReport(reportData);
