// Dashboard › Alerts: show/hide the overlay URL, confirm rotation, send test alerts without
// reloading (so the preview iframe stays connected), and local times in the history.

for (const box of document.querySelectorAll("[data-secret]")) {
  const toggle = box.querySelector("[data-secret-toggle]");
  const masked = box.querySelector("[data-secret-masked]");
  const value = box.querySelector("[data-secret-value]");
  toggle?.addEventListener("click", () => {
    const show = value.hidden;
    value.hidden = !show;
    masked.hidden = show;
    toggle.textContent = show ? "Hide" : "Show";
    toggle.setAttribute("aria-expanded", String(show));
  });
}

for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

const status = document.querySelector("[data-test-status]");

function flash(button, text) {
  const original = button.textContent;
  button.textContent = text;
  setTimeout(() => (button.textContent = original), 1500);
}

for (const form of document.querySelectorAll("form[data-test-alert]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (status) status.textContent = response.ok ? `Sent: ${data.alert.title}` : data.error.message;
      if (response.ok) flash(button, "Sent ✓");
    } catch {
      if (status) status.textContent = "Could not send the test alert. Check your connection.";
    } finally {
      button.disabled = false;
    }
  });
}

const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
for (const node of document.querySelectorAll("time[data-local-time]")) {
  const when = new Date(node.getAttribute("datetime"));
  if (!Number.isNaN(when.getTime())) node.textContent = formatter.format(when);
}
