// Subscribe / Donate dialog under the player: ask the API for a checkout, then go there.
// The signed-in page carries its CSRF token in <body hx-headers> (base.html).
const csrfToken = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";

for (const box of document.querySelectorAll("[data-support]")) {
  const dialog = box.querySelector("[data-support-dialog]");
  if (!dialog || box.dataset.ready) continue;
  box.dataset.ready = "1";
  const show = (name) => {
    for (const pane of dialog.querySelectorAll("[data-support-pane]")) pane.hidden = pane.dataset.supportPane !== name;
    for (const tab of dialog.querySelectorAll("[data-support-tab]")) {
      tab.setAttribute("aria-selected", String(tab.dataset.supportTab === name));
    }
  };
  for (const button of box.querySelectorAll("[data-support-open]")) {
    button.addEventListener("click", () => {
      show(button.dataset.supportOpen);
      dialog.showModal();
    });
  }
  for (const tab of dialog.querySelectorAll("[data-support-tab]")) {
    tab.addEventListener("click", () => show(tab.dataset.supportTab));
  }
  for (const form of dialog.querySelectorAll("[data-support-pane]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = form.querySelector("[data-support-error]");
      const data = new FormData(form);
      const body =
        form.dataset.supportPane === "subscribe"
          ? { tier: Number(data.get("tier")) }
          : {
              amount_cents: Math.round(Number(data.get("amount")) * 100),
              message: data.get("message") || "",
              anonymous: data.get("anonymous") === "on",
            };
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.checkout_url) {
        window.location.assign(answer.checkout_url);
        return;
      }
      const problem = answer.error || {};
      const fields = Object.values(problem.fields || {}).flat();
      error.textContent = fields[0] || problem.message || "Something went wrong; try again.";
      error.hidden = false;
    });
  }
}
