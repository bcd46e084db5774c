// Clip pages: times in the viewer's zone, the like button, and polling while a clip renders.
import { api } from "./clips-api.js";

const POLL_MS = 2000;

function localTimes(root = document) {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  for (const time of root.querySelectorAll("time[data-local-time]")) {
    const when = new Date(time.getAttribute("datetime"));
    if (!Number.isNaN(when.valueOf())) time.title = format.format(when);
  }
}

function likeButton(page) {
  const button = page.querySelector("[data-like]");
  if (!button) return;
  const url = `${page.dataset.api}like`;
  button.addEventListener("click", async () => {
    const liked = button.getAttribute("aria-pressed") === "true";
    button.disabled = true;
    try {
      const data = await api(url, { method: liked ? "DELETE" : "POST" });
      button.setAttribute("aria-pressed", String(data.liked));
      button.classList.toggle("btn-primary", data.liked);
      button.querySelector("[data-likes]").textContent = data.likes_count;
      button.querySelector("[data-like-label]").textContent = data.liked ? "Liked" : "Like";
    } catch (error) {
      button.title = error.message;
    } finally {
      button.disabled = false;
    }
  });
}

function pollWhileRendering(page) {
  if (!["pending", "rendering"].includes(page.dataset.status)) return;
  const tick = async () => {
    try {
      const clip = await api(page.dataset.api);
      if (clip.status === "ready" || clip.status === "failed") {
        window.location.reload();
        return;
      }
    } catch {
      // A blip (deploy, network): keep polling.
    }
    setTimeout(tick, POLL_MS);
  };
  setTimeout(tick, POLL_MS);
}

localTimes();
const page = document.querySelector("[data-clip]");
if (page) {
  likeButton(page);
  pollWhileRendering(page);
}
