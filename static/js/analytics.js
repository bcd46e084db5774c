// The Analytics page's charts over a date range: viewers (average + peak), chat activity, follower
// growth (cumulative line + net bars per day). Data: the page's #analytics-data JSON (epoch ms).
// Dates and hours are shown in the browser's zone.

import { drawLineChart } from "./chart.js";
import { formatNumber } from "./format.js";

const NS = "http://www.w3.org/2000/svg";
const PAD = { top: 10, right: 12, bottom: 22, left: 44 };

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function axisNumber(value) {
  return value < 10 && !Number.isInteger(value) ? value.toFixed(1) : formatNumber(Math.round(value));
}

function dateLabel(ms, withTime) {
  const options = withTime ? { month: "short", day: "numeric", hour: "2-digit" } : { month: "short", day: "numeric" };
  return new Date(ms).toLocaleString([], options);
}

function labels(start, end, withTime) {
  return [
    [0, dateLabel(start, withTime)],
    [0.5, dateLabel((start + end) / 2, withTime)],
    [1, dateLabel(end, withTime)],
  ];
}

function niceStep(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

// Bars around a zero line (a day can lose followers): one bar per point, hover read-out.
export function drawBars(svg, points, { stepMs, start, end, xLabels, unit = "" }) {
  const width = Math.max(200, svg.clientWidth || svg.parentElement.clientWidth);
  const height = Math.max(100, svg.clientHeight || 160);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const values = points.map((p) => p[1]);
  const top = niceStep(Math.max(1, ...values) * 1.1);
  const bottom = Math.min(0, ...values) < 0 ? -niceStep(-Math.min(...values) * 1.1) : 0;
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + ((t - start) / (end - start)) * innerW;
  const y = (v) => PAD.top + ((top - v) / (top - bottom)) * innerH;
  const grid = el("g", { class: "chart-grid" });
  for (const value of new Set([top, 0, bottom])) {
    grid.append(el("line", { x1: PAD.left, x2: width - PAD.right, y1: y(value), y2: y(value) }));
    grid.append(el("text", { x: PAD.left - 6, y: y(value) + 4, "text-anchor": "end" }, axisNumber(value)));
  }
  for (const [fraction, label] of xLabels) {
    const anchor = fraction === 0 ? "start" : fraction === 1 ? "end" : "middle";
    grid.append(el("text", { x: PAD.left + fraction * innerW, y: height - 4, "text-anchor": anchor }, label));
  }
  svg.append(grid);
  const barW = Math.max(1, (stepMs / (end - start)) * innerW * 0.7);
  for (const [t, v] of points) {
    if (!v) continue;
    const bar = el("rect", {
      x: x(t + stepMs / 2) - barW / 2,
      y: Math.min(y(v), y(0)),
      width: barW,
      height: Math.max(1, Math.abs(y(v) - y(0))),
      rx: Math.min(2, barW / 2),
      class: `chart-bar ${v < 0 ? "is-negative" : ""}`,
    });
    bar.append(el("title", {}, `${dateLabel(t, false)}: ${v > 0 ? "+" : ""}${v}${unit ? ` ${unit}` : ""}`));
    svg.append(bar);
  }
}

function init(data) {
  const hourly = data.granularity === "hour";
  const gapSeconds = data.step_seconds * 1.5; // a bucket without streaming breaks the line
  const windowSeconds = (data.end - data.start) / 1000;
  const options = { windowSeconds, now: data.end, gapSeconds, format: axisNumber };
  const followerStart = data.followers.daily.length ? data.followers.daily[0][0] : data.start;
  const followerEnd = data.followers.daily.length ? data.followers.daily.at(-1)[0] + 86400000 : data.end;

  const redraw = () => {
    const viewers = document.querySelector('[data-chart="range-viewers"]');
    if (viewers) {
      drawLineChart(
        viewers,
        [
          { name: "average", className: "series-1", area: true, points: data.viewers },
          { name: "peak", className: "series-3", dashed: true, points: data.peak },
        ],
        { ...options, unit: "viewers", xLabels: labels(data.start, data.end, hourly) },
      );
    }
    const chat = document.querySelector('[data-chart="range-chat"]');
    if (chat) {
      drawLineChart(chat, [{ name: "chat", className: "series-2", area: true, points: data.chat }], {
        ...options,
        unit: hourly ? "msg/h" : "msg/day",
        xLabels: labels(data.start, data.end, hourly),
      });
    }
    const followers = document.querySelector('[data-chart="range-followers"]');
    // Points sit at the end of each day: the count once the day is over.
    const cumulative = data.followers.cumulative.map(([t, v]) => [t + 86400000, v]);
    if (followers) {
      drawLineChart(followers, [{ name: "followers", className: "series-1", area: true, points: cumulative }], {
        windowSeconds: (followerEnd - followerStart) / 1000,
        now: followerEnd,
        gapSeconds: 86400 * 1.5,
        format: axisNumber,
        unit: "followers",
        xLabels: labels(followerStart, followerEnd, false),
      });
    }
    const bars = document.querySelector('[data-chart="range-follower-bars"]');
    if (bars) {
      drawBars(bars, data.followers.daily, {
        stepMs: 86400000,
        start: followerStart,
        end: followerEnd,
        xLabels: labels(followerStart, followerEnd, false),
        unit: "followers",
      });
    }
  };
  redraw();
  new ResizeObserver(redraw).observe(document.querySelector(".analytics-charts") || document.body);
}

const node = document.getElementById("analytics-data");
if (node) init(JSON.parse(node.textContent));
