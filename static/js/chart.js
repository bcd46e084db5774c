// A small SVG line chart for figures over time (stream health), drawn at the element's pixel size
// so text stays crisp. No library: a few lines, grid, axis labels, a hover read-out.

const NS = "http://www.w3.org/2000/svg";
const PAD = { top: 10, right: 12, bottom: 22, left: 44 };
const GAP_SECONDS = 30; // a longer silence from the encoder breaks the line

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function pathFor(points, x, y, gapSeconds = GAP_SECONDS) {
  let d = "";
  let previous = null;
  for (const [t, v] of points) {
    if (v === null || v === undefined) {
      previous = null;
      continue;
    }
    const move = previous === null || t - previous > gapSeconds * 1000;
    d += `${move ? "M" : "L"}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    previous = t;
  }
  return d;
}

// series: [{name, points: [[epochMs, value|null]], className, dashed}]
// gapSeconds: a longer gap between samples breaks the line (minute samples need more than 30 s);
// xLabels: [[fraction, text]] under the axis instead of "−N min … now" (a past stream's clock times).
export function drawLineChart(
  svg,
  series,
  { windowSeconds = 600, now = Date.now(), unit = "", format, gapSeconds = GAP_SECONDS, xLabels } = {},
) {
  const width = Math.max(200, svg.clientWidth || svg.parentElement.clientWidth);
  const height = Math.max(100, svg.clientHeight || 160);
  const fmt = format || ((v) => `${Math.round(v)}`);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();

  const start = now - windowSeconds * 1000;
  const values = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => typeof v === "number");
  const top = niceMax(Math.max(0, ...values) * 1.1);
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + ((t - start) / (now - start)) * innerW;
  const y = (v) => PAD.top + innerH - (v / top) * innerH;

  const grid = el("g", { class: "chart-grid" });
  for (const fraction of [0, 0.5, 1]) {
    const value = top * fraction;
    grid.append(el("line", { x1: PAD.left, x2: width - PAD.right, y1: y(value), y2: y(value) }));
    grid.append(el("text", { x: PAD.left - 6, y: y(value) + 4, "text-anchor": "end" }, fmt(value)));
  }
  const minutes = windowSeconds / 60;
  for (const [fraction, label] of xLabels || [
    [0, `−${minutes} min`],
    [0.5, `−${minutes / 2} min`],
    [1, "now"],
  ]) {
    const anchor = fraction === 0 ? "start" : fraction === 1 ? "end" : "middle";
    grid.append(el("text", { x: PAD.left + fraction * innerW, y: height - 4, "text-anchor": anchor }, label));
  }
  svg.append(grid);

  for (const line of series) {
    const points = line.points.filter(([t]) => t >= start);
    const d = pathFor(points, x, y, gapSeconds);
    if (!d) continue;
    if (line.area) {
      const segments = d.split("M").filter(Boolean);
      for (const segment of segments) {
        const coords = segment.split("L");
        const first = coords[0].split(",")[0];
        const last = coords[coords.length - 1].split(",")[0];
        const base = y(0).toFixed(1);
        svg.append(el("path", { d: `M${first},${base}L${segment}L${last},${base}Z`, class: `chart-area ${line.className}` }));
      }
    }
    svg.append(el("path", { d, class: `chart-line ${line.className}${line.dashed ? " is-dashed" : ""}` }));
    const lastPoint = [...points].reverse().find(([, v]) => typeof v === "number");
    if (lastPoint && !line.dashed) {
      svg.append(el("circle", { cx: x(lastPoint[0]), cy: y(lastPoint[1]), r: 3.5, class: `chart-dot ${line.className}` }));
    }
  }

  // Hover read-out: the nearest sample of the first series.
  const main = series[0]?.points.filter(([t, v]) => t >= start && typeof v === "number") || [];
  const cursor = el("g", { class: "chart-cursor", visibility: "hidden" });
  const rule = el("line", { y1: PAD.top, y2: PAD.top + innerH });
  const label = el("text", { y: PAD.top + 12 });
  cursor.append(rule, label);
  svg.append(cursor);
  svg.onpointermove = (event) => {
    if (!main.length) return;
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * width;
    const t = start + ((px - PAD.left) / innerW) * (now - start);
    const nearest = main.reduce((best, p) => (Math.abs(p[0] - t) < Math.abs(best[0] - t) ? p : best));
    const cx = x(nearest[0]);
    rule.setAttribute("x1", cx);
    rule.setAttribute("x2", cx);
    label.setAttribute("x", cx + (cx > width - 120 ? -6 : 6));
    label.setAttribute("text-anchor", cx > width - 120 ? "end" : "start");
    const time = new Date(nearest[0]).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    label.textContent = `${fmt(nearest[1])}${unit ? ` ${unit}` : ""} · ${time}`;
    cursor.setAttribute("visibility", "visible");
  };
  svg.onpointerleave = () => cursor.setAttribute("visibility", "hidden");
}
