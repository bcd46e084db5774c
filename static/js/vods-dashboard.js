// The Videos page: dates in the viewer's time zone, and the progress of VODs being archived,
// polled every few seconds until none is processing (then the page reloads to show the result).

const POLL_MS = 2500;

function localizeTimes(root = document) {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  for (const node of root.querySelectorAll("time[data-local-time]")) {
    const when = new Date(node.getAttribute("datetime"));
    if (!Number.isNaN(when.getTime())) node.textContent = format.format(when);
  }
}

function processingIds() {
  return [...document.querySelectorAll('tr[data-vod-status="processing"]')].map((row) => row.dataset.vodId);
}

function showProgress(row, percent) {
  const bar = row.querySelector("[data-vod-progress]");
  const label = row.querySelector("[data-vod-percent]");
  if (bar) bar.value = percent;
  if (label) label.textContent = `${percent} %`;
}

async function poll(manager) {
  const ids = processingIds();
  if (!ids.length) return;
  try {
    const response = await fetch(`${manager.dataset.progressUrl}&ids=${ids.join(",")}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const { vods } = await response.json();
      let finished = false;
      for (const vod of vods) {
        const row = document.getElementById(`vod-${vod.id}`);
        if (!row) continue;
        if (vod.status !== "processing") finished = true;
        else showProgress(row, vod.progress);
      }
      // A VOD that was deleted meanwhile, or finished: the page shows its poster, duration or reason.
      if (finished || vods.length < ids.length) {
        window.location.reload();
        return;
      }
    }
  } catch {
    // Offline for a moment: try again on the next tick.
  }
  window.setTimeout(() => poll(manager), POLL_MS);
}

localizeTimes();
const manager = document.querySelector("[data-progress-url]");
if (manager && processingIds().length) window.setTimeout(() => poll(manager), POLL_MS);
