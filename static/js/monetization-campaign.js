// Fundraising progress (channel page and overlay): read the campaign API, refresh every 15 s.
const dollars = (cents) => `$${(cents / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function refresh(bar) {
  try {
    const response = await fetch(bar.dataset.campaign, { credentials: "same-origin" });
    if (!response.ok) {
      bar.hidden = true;
      return;
    }
    const campaign = await response.json();
    bar.querySelector("[data-campaign-title]").textContent = campaign.title;
    bar.querySelector("[data-campaign-figures]").textContent =
      `${dollars(campaign.raised_cents)} of ${dollars(campaign.goal_cents)} · ${campaign.percent}%`;
    bar.querySelector("[data-campaign-fill]").style.width = `${campaign.percent}%`;
    bar.querySelector("[data-campaign-track]").setAttribute("aria-valuenow", String(campaign.percent));
    const ends = new Date(campaign.ends_at);
    bar.querySelector("[data-campaign-deadline]").textContent = `Ends ${ends.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}`;
    bar.hidden = false;
  } catch {
    // offline for a moment: keep what is shown
  }
}

for (const bar of document.querySelectorAll("[data-campaign]")) {
  refresh(bar);
  setInterval(() => refresh(bar), 15_000);
}
