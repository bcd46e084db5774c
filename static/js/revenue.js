// The revenue page's chart: net revenue per day, one line per source (subscriptions, gifts,
// donations). Data: the page's #revenue-data JSON (epoch ms at the viewer's local midnight, dollars).

import { drawLineChart } from "./chart.js";

function dateLabel(ms) {
  return new Date(ms).toLocaleDateString([], { month: "short", day: "numeric" });
}

function init(data) {
  const svg = document.querySelector('[data-chart="revenue"]');
  if (!svg) return;
  const day = 86400000;
  const redraw = () =>
    drawLineChart(
      svg,
      [
        { name: "subscriptions", className: "series-1", points: data.series.subscriptions },
        { name: "gifts", className: "series-2", points: data.series.gifts },
        { name: "donations", className: "revenue-donations", points: data.series.donations },
      ],
      {
        windowSeconds: Math.max(day, data.end - data.start) / 1000,
        now: Math.max(data.end, data.start + day),
        gapSeconds: 86400 * 1.5,
        unit: "",
        format: (v) => `$${v >= 100 ? Math.round(v) : v.toFixed(v % 1 ? 2 : 0)}`,
        xLabels: [
          [0, dateLabel(data.start)],
          [0.5, dateLabel((data.start + data.end) / 2)],
          [1, dateLabel(data.end)],
        ],
      },
    );
  redraw();
  new ResizeObserver(redraw).observe(svg.parentElement);
}

const node = document.getElementById("revenue-data");
if (node) init(JSON.parse(node.textContent));
