// Pieces of a chat line shared by the live chat (chat.js) and the VOD chat replay (vod-player.js).
// Built with DOM APIs and textContent: message data never goes through innerHTML.

import { emoteImage } from "./emote-picker.js";

const BADGE_ICONS = {
  broadcaster: "M4 8h11a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1zm12 3 5-3v8l-5-3",
  moderator: "M12 3l7 3v5c0 4.5-3 8-7 10-4-2-7-5.5-7-10V6z",
  vip: "M12 3l2.7 5.6 6.3.9-4.5 4.4 1 6.1L12 17l-5.5 3 1-6.1L3 9.5l6.3-.9z",
  staff: "M12 2l2.4 4.9 5.4.8-3.9 3.8.9 5.4L12 14.3l-4.8 2.6.9-5.4-3.9-3.8 5.4-.8zM5 21h14",
  verified: "M5 12.5l4.5 4.5L19 7.5",
};

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function icon(path) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
  shape.setAttribute("d", path);
  svg.append(shape);
  return svg;
}

function safeLink(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : "";
  } catch {
    return "";
  }
}

function cssToken(value) {
  return String(value || "").toLowerCase().replace(/[^a-z0-9_-]/g, "");
}

export function badgeNode(badge) {
  const name = cssToken(badge.name);
  const chip = el("span", `chat-badge chat-badge-${name || "other"}`);
  const title = badge.title || badge.name || "";
  chip.title = title;
  chip.setAttribute("role", "img");
  chip.setAttribute("aria-label", title);
  if (BADGE_ICONS[name]) chip.append(icon(BADGE_ICONS[name]));
  else chip.textContent = String(title).slice(0, 1).toUpperCase();
  return chip;
}

// The text, emotes, mentions and links of a message; `me` (or null) marks mentions of the viewer.
export function fragmentNodes(message, me) {
  const fragments = Array.isArray(message.fragments) && message.fragments.length
    ? message.fragments
    : [{ type: "text", text: message.text || "" }];
  const nodes = [];
  let mentionsMe = false;
  for (const fragment of fragments) {
    if (!fragment || typeof fragment !== "object") continue;
    if (fragment.type === "emote") {
      const img = emoteImage(fragment);
      nodes.push(img || document.createTextNode(fragment.code || ""));
    } else if (fragment.type === "mention") {
      const mention = el("span", "chat-mention", `@${fragment.username || ""}`);
      if (me && String(fragment.username || "").toLowerCase() === me.username.toLowerCase()) {
        mention.classList.add("is-me");
        mentionsMe = true;
      }
      nodes.push(mention);
    } else if (fragment.type === "link") {
      const href = safeLink(fragment.url);
      if (href) {
        const link = el("a", "chat-link", fragment.text || fragment.url);
        link.href = href;
        link.rel = "nofollow noopener ugc";
        link.target = "_blank";
        nodes.push(link);
      } else {
        nodes.push(document.createTextNode(fragment.text || fragment.url || ""));
      }
    } else {
      nodes.push(document.createTextNode(fragment.text || ""));
    }
  }
  return { nodes, mentionsMe };
}
