// Subscribe / Donate / Gift dialog under the player: ask the API for a checkout, then go there.
// Tiers and the viewer's subscription come from the API, so the channel page adds no queries.

// The signed-in page carries its CSRF token in <body hx-headers> (base.html).
const csrfToken = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const dollars = (cents) => `$${(cents / 100).toFixed(2)}`;

function bodyOf(form) {
  const data = new FormData(form);
  switch (form.dataset.supportPane) {
    case "subscribe":
      return { tier: Number(data.get("tier")) };
    case "gift":
      return { count: Number(data.get("count")), tier: Number(data.get("tier")), recipient: data.get("recipient") || "" };
    default:
      return {
        amount_cents: Math.round(Number(data.get("amount")) * 100),
        message: data.get("message") || "",
        anonymous: data.get("anonymous") === "on",
      };
  }
}

async function loadTiers(box, fieldset) {
  const response = await fetch(`/api/v1/channels/${box.dataset.slug}/tiers`, { credentials: "same-origin" });
  if (!response.ok) return;
  const tiers = await response.json();
  fieldset.querySelector("p")?.remove();
  tiers.forEach((tier, index) => {
    const label = el("label", "support-tier");
    const input = el("input");
    Object.assign(input, { type: "radio", name: "tier", value: String(tier.tier), checked: index === 0 });
    const text = el("span");
    text.append(el("strong", "", tier.name), el("span", "support-price", dollars(tier.price_cents)), el("span", "small", " / month"));
    if (tier.benefits) text.append(el("span", "small support-benefits", tier.benefits));
    label.append(input, text);
    fieldset.append(label);
  });
}

async function showSubscription(box) {
  const response = await fetch(`/api/v1/channels/${box.dataset.slug}/subscription`, { credentials: "same-origin" });
  if (!response.ok) return; // 404: not subscribed
  const sub = await response.json();
  const badge = box.querySelector("[data-subscribed]");
  badge.textContent = `★ Subscribed · Tier ${sub.tier}`;
  badge.title = `${sub.months} month${sub.months === 1 ? "" : "s"}`;
  badge.hidden = false;
  box.querySelector("[data-support-open=subscribe]")?.remove();
  box.querySelector("[data-support-tab=subscribe]")?.remove();
}

for (const box of document.querySelectorAll("[data-support]")) {
  const dialog = box.querySelector("[data-support-dialog]");
  if (!dialog || box.dataset.ready) continue;
  box.dataset.ready = "1";
  const fieldset = dialog.querySelector("[data-support-tiers]");
  let tiersLoaded = false;
  const show = (name) => {
    for (const pane of dialog.querySelectorAll("[data-support-pane]")) pane.hidden = pane.dataset.supportPane !== name;
    for (const tab of dialog.querySelectorAll("[data-support-tab]")) {
      tab.setAttribute("aria-selected", String(tab.dataset.supportTab === name));
    }
    if (name === "subscribe" && !tiersLoaded) {
      tiersLoaded = true;
      loadTiers(box, fieldset);
    }
  };
  showSubscription(box);
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
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(bodyOf(form)),
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
