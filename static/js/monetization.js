// The payment page waits for the verified webhook: poll the checkout's status until it is paid.
const box = document.querySelector("[data-checkout-status]");
if (box && box.dataset.paid !== "1") {
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.checkoutStatus, { credentials: "same-origin" });
      if (response.ok && (await response.json()).status === "paid") {
        box.querySelector(".money-waiting").hidden = true;
        box.querySelector(".money-paid").hidden = false;
        return;
      }
    } catch {
      // a network blip: try again
    }
    setTimeout(poll, 1000);
  };
  poll();
}

// Times in the viewer's own zone and locale (the server writes UTC).
for (const node of document.querySelectorAll("time[data-local-time]")) {
  const when = new Date(node.getAttribute("datetime"));
  if (!Number.isNaN(when.getTime())) {
    node.title = node.textContent;
    node.textContent = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }
}
