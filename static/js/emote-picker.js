// The emote picker beside the chat composer: this channel's emotes and the global ones, loaded
// once from /<slug>/chat/emotes.json when first opened, filtered by a search box.

export function safeImageUrl(url) {
  if (typeof url !== "string" || !url || /[\s,]/.test(url)) return "";
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : "";
  } catch {
    return "";
  }
}

// An <img> for one emote at 1x with 2x/4x in srcset (used by the picker and the message list).
export function emoteImage(emote, className = "chat-emote") {
  const src = safeImageUrl(emote.url);
  if (!src) return null;
  const img = document.createElement("img");
  img.className = className;
  img.src = src;
  const sources = [
    [emote.url_2x, "2x"],
    [emote.url_4x, "4x"],
  ]
    .map(([url, density]) => [safeImageUrl(url), density])
    .filter(([url]) => url)
    .map(([url, density]) => `${url} ${density}`);
  if (sources.length) img.srcset = sources.join(", ");
  img.alt = emote.code;
  img.title = emote.code;
  img.height = 28;
  img.decoding = "async";
  return img;
}

export function createEmotePicker({ button, panel, url, onPick }) {
  let loaded = null;
  const search = document.createElement("input");
  search.type = "search";
  search.className = "emote-search";
  search.placeholder = "Search emotes";
  search.setAttribute("aria-label", "Search emotes");
  const body = document.createElement("div");
  body.className = "emote-sections";
  panel.replaceChildren(search, body);

  function section(title, emotes) {
    const wrap = document.createElement("section");
    const heading = document.createElement("h3");
    heading.textContent = title;
    const grid = document.createElement("div");
    grid.className = "emote-grid";
    for (const emote of emotes) {
      const img = emoteImage(emote, "emote-grid-img");
      if (!img) continue;
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "emote-pick";
      pick.dataset.code = emote.code;
      pick.title = emote.subscriber_only ? `${emote.code} (subscribers)` : emote.code;
      pick.append(img);
      grid.append(pick);
    }
    wrap.append(heading, grid);
    return wrap;
  }

  function render() {
    const query = search.value.trim().toLowerCase();
    const match = (emote) => !query || emote.code.toLowerCase().includes(query);
    const channel = (loaded.channel || []).filter(match);
    const global = (loaded.global || []).filter(match);
    const parts = [];
    if (channel.length) parts.push(section("This channel", channel));
    if (global.length) parts.push(section("Everyone", global));
    if (!parts.length) {
      const empty = document.createElement("p");
      empty.className = "emote-empty";
      empty.textContent = query ? "No emote matches." : "No emotes here yet.";
      parts.push(empty);
    }
    body.replaceChildren(...parts);
  }

  async function load() {
    if (loaded) return;
    body.replaceChildren(Object.assign(document.createElement("p"), { className: "emote-empty", textContent: "Loading…" }));
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      loaded = await response.json();
    } catch {
      body.replaceChildren(Object.assign(document.createElement("p"), { className: "emote-empty", textContent: "Emotes could not be loaded. Try again later." }));
      return;
    }
    render();
  }

  function setOpen(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      load();
      search.focus();
    }
  }

  button.addEventListener("click", () => setOpen(panel.hidden));
  search.addEventListener("input", () => loaded && render());
  panel.addEventListener("click", (event) => {
    const pick = event.target.closest(".emote-pick");
    if (pick) onPick(pick.dataset.code);
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!panel.hidden && !panel.contains(event.target) && !button.contains(event.target)) setOpen(false);
  });
  return { close: () => setOpen(false) };
}
