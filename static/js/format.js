// Small formatting helpers shared by the watch page and the dashboard (viewer's locale and time zone).

export function formatUptime(startedAt, now = Date.now()) {
  const seconds = Math.max(0, Math.floor((now - new Date(startedAt).getTime()) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function timeAgo(iso, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, "minute");
}

export function formatNumber(value) {
  return new Intl.NumberFormat().format(value);
}

// Start a once-a-second ticker for every [data-uptime] element (they carry data-started-at).
export function tickUptimes(root = document) {
  const tick = () => {
    for (const node of root.querySelectorAll("[data-uptime]")) {
      if (node.dataset.startedAt) node.textContent = formatUptime(node.dataset.startedAt);
    }
  };
  tick();
  return setInterval(tick, 1000);
}
