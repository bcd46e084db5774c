// The Clip button under the live player: clip the last 30 s, then a toast links to the clip.
import { api, escapeHtml, showToast } from "./clips-api.js";

const button = document.querySelector("[data-clip-live]");
if (button) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const clip = await api(button.dataset.api, {
        method: "POST",
        body: { channel: button.dataset.channel, seconds: Number(button.dataset.seconds || 30), title: "" },
      });
      showToast(`Clip of the last ${Math.round(clip.duration)} s is on its way. <a href="${escapeHtml(clip.url)}">Open the clip</a>`);
    } catch (error) {
      showToast(escapeHtml(error.message), error.status === 429 ? "warning" : "error");
    } finally {
      setTimeout(() => { button.disabled = false; }, 1500);
    }
  });
}
