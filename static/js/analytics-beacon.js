// Player page beacon: report this view (channel page or embed) to /analytics/visit once per load.
// The page itself may come from the front door's cache, so only the browser can say it was seen.
// Sent: the channel, the referrer (the server keeps only its host) and this page's query string
// (for utm tags). Nothing else; no cookie is set for it.

const script = document.querySelector("script[data-visit-channel]");
if (script) {
  const body = new URLSearchParams({
    channel: script.dataset.visitChannel,
    referrer: document.referrer || "",
    page: window.location.search || "",
    embed: script.dataset.visitEmbed ? "1" : "",
  });
  const url = script.dataset.visitUrl;
  const sent = navigator.sendBeacon ? navigator.sendBeacon(url, body) : false;
  if (!sent) {
    fetch(url, { method: "POST", body, keepalive: true, credentials: "same-origin" }).catch(() => {});
  }
}
