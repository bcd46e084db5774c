// The chat panel (channel page, popout) and the read-only OBS overlay, over the room socket.
//
// Every message is built with DOM APIs and textContent: message data never goes through
// innerHTML. The only HTML inserted is the user card, rendered (and escaped) by Django.

import { parseRgb, readableColor } from "./chat-colors.js";
import { badgeNode, el, fragmentNodes, icon } from "./chat-render.js";
import { createEmotePicker } from "./emote-picker.js";
import { openRoom } from "./room.js";

const MAX_LINES = 300;
const MAX_LINES_PAUSED = 600; // while the viewer reads back, keep more before trimming
const MAX_LENGTH = 500;
const ERROR_MS = 8000;
const BOTTOM_SLACK_PX = 40;
const TIMEOUTS = [
  [60, "1 minute"],
  [600, "10 minutes"],
  [3600, "1 hour"],
  [86400, "24 hours"],
];
const ICONS = {
  trash: "M3 6h18M8 6V4h8v2m-9 0 1 14h8l1-14",
  clock: "M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
  ban: "M5.6 5.6l12.8 12.8M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
  flag: "M4 21V4m0 0h12l-2 4 2 4H4",
};

function toolButton(action, label, path) {
  const button = el("button", "chat-tool");
  button.type = "button";
  button.dataset.tool = action;
  button.title = label;
  button.setAttribute("aria-label", label);
  button.append(icon(path));
  return button;
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

function initChat(root) {
  const variant = root.dataset.variant || "panel"; // panel | popout | overlay
  const readOnly = variant === "overlay";
  const fadeSeconds = Number(root.dataset.fade || 0);
  const $ = (selector) => root.querySelector(selector);
  const ui = {
    list: $("[data-chat-list]"),
    more: $("[data-chat-more]"),
    status: $("[data-chat-status]"),
    held: $("[data-chat-held]"),
    heldList: $("[data-chat-held-list]"),
    heldCount: $("[data-chat-held-count]"),
    modes: $("[data-chat-modes]"),
    error: $("[data-chat-error]"),
    form: $("[data-chat-form]"),
    input: $("[data-chat-input]"),
    count: $("[data-chat-count]"),
    send: $("[data-chat-send]"),
    blocked: $("[data-chat-blocked]"),
    card: $("[data-chat-card]"),
    cardBody: $("[data-chat-card-body]"),
    emoteButton: $("[data-emote-toggle]"),
    emotePanel: $("[data-emote-picker]"),
  };
  if (!ui.list) return;

  const lines = new Map(); // message id -> line element
  // Replaced by the shared room below; openRoom may replay frames before it returns.
  let room = { send: () => false, isOpen: () => false };
  let me = null;
  let canSend = false;
  let canModerate = false;
  let modes = {};
  let paused = false;
  let lastScrollTop = 0;
  let unseen = 0;
  let errorTimer = null;
  let lastSent = "";
  let slowUntil = 0;
  let block = { kind: root.dataset.block || "", until: root.dataset.blockUntil || "", text: "" };
  let background = [21, 20, 28];

  function readBackground() {
    for (let node = ui.list; node && node !== document.documentElement; node = node.parentElement) {
      const rgb = parseRgb(getComputedStyle(node).backgroundColor);
      if (rgb) return rgb;
    }
    return readOnly ? [0, 0, 0] : [14, 13, 19];
  }
  background = readOnly ? [0, 0, 0] : readBackground();

  // --- Scrolling: follow new messages unless the viewer scrolled up to read ---------------------
  function atBottom() {
    return ui.list.scrollHeight - ui.list.scrollTop - ui.list.clientHeight < BOTTOM_SLACK_PX;
  }

  function scrollToBottom() {
    ui.list.scrollTop = ui.list.scrollHeight;
    lastScrollTop = ui.list.scrollTop;
  }

  function showMore() {
    if (!ui.more) return;
    ui.more.hidden = !paused;
    const label = ui.more.querySelector("[data-chat-more-label]") || ui.more;
    label.textContent = unseen ? `${unseen > 99 ? "99+" : unseen} new messages below` : "More messages below";
  }

  ui.list.addEventListener(
    "scroll",
    () => {
      const top = ui.list.scrollTop;
      if (atBottom()) {
        paused = false;
        unseen = 0;
      } else if (top < lastScrollTop - 2) {
        paused = true; // only the viewer scrolling up pauses; content growing below does not
      }
      lastScrollTop = top;
      showMore();
    },
    { passive: true },
  );
  ui.more?.addEventListener("click", () => {
    paused = false;
    unseen = 0;
    scrollToBottom();
    showMore();
  });

  function trim() {
    const cap = paused ? MAX_LINES_PAUSED : MAX_LINES;
    while (ui.list.childElementCount > cap) {
      const first = ui.list.firstElementChild;
      if (first.dataset.id) lines.delete(first.dataset.id);
      first.remove();
    }
  }

  function append(node, { counts = true } = {}) {
    ui.list.append(node);
    trim();
    if (!paused) scrollToBottom();
    else if (counts) {
      unseen += 1;
      showMore();
    }
    if (fadeSeconds > 0) {
      setTimeout(() => node.classList.add("is-fading"), fadeSeconds * 1000);
      setTimeout(() => {
        if (node.dataset.id) lines.delete(node.dataset.id);
        node.remove();
      }, fadeSeconds * 1000 + 1200);
    }
  }

  // --- Messages --------------------------------------------------------------------------------
  function nameNode(user) {
    const display = user.display_name || user.username || "someone";
    const tag = readOnly ? "span" : "button";
    const name = el(tag, "chat-name", display);
    if (tag === "button") {
      name.type = "button";
      name.dataset.username = user.username || "";
      name.title = `@${user.username}`;
    }
    name.style.color = readableColor(user.color, user.username, background);
    return name;
  }

  function messageNode(message) {
    const user = message.user || {};
    const line = el("div", "chat-line");
    line.dataset.id = String(message.id);
    line.dataset.username = String(user.username || "").toLowerCase();
    if (message.sent_at) line.title = new Date(message.sent_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const badges = Array.isArray(message.badges) ? message.badges : [];
    if (badges.length) {
      const wrap = el("span", "chat-badges");
      for (const badge of badges) wrap.append(badgeNode(badge));
      line.append(wrap);
    }
    const { nodes, mentionsMe } = fragmentNodes(message, me);
    const text = el("span", "chat-text");
    text.append(...nodes);
    for (const img of text.querySelectorAll("img")) {
      img.addEventListener("load", () => !paused && scrollToBottom(), { once: true });
    }
    line.append(nameNode(user), el("span", "chat-colon", ": "), text);
    if (mentionsMe) line.classList.add("is-mention");
    if (me && user.username && user.username.toLowerCase() === me.username.toLowerCase()) line.classList.add("is-mine");
    if (!readOnly) line.append(toolsFor(message));
    return line;
  }

  function toolsFor(message) {
    const tools = el("span", "chat-tools");
    const username = message.user?.username || "";
    const mine = me && username.toLowerCase() === me.username.toLowerCase();
    if (canModerate) {
      tools.append(toolButton("delete", "Delete message", ICONS.trash));
      if (!mine) {
        tools.append(toolButton("timeout", `Time out ${username}`, ICONS.clock));
        tools.append(toolButton("ban", `Ban ${username}`, ICONS.ban));
      }
    } else if (me && !mine) {
      tools.append(toolButton("report", "Report message", ICONS.flag));
    }
    return tools;
  }

  function addMessage(message, options) {
    if (message.id === undefined || lines.has(String(message.id))) return null;
    const line = messageNode(message);
    lines.set(String(message.id), line);
    append(line, options);
    return line;
  }

  function notice(text, kind = "") {
    const line = el("div", `chat-notice${kind ? ` chat-notice-${kind}` : ""}`, text);
    append(line, { counts: false });
  }

  function markDeleted(line) {
    if (!line || line.classList.contains("is-deleted")) return;
    line.classList.add("is-deleted");
    line.querySelector(".chat-tools")?.remove();
    if (!canModerate) line.querySelector(".chat-text")?.replaceChildren(el("em", "", "message deleted"));
  }

  function showHistory(messages) {
    ui.list.replaceChildren();
    lines.clear();
    for (const message of messages || []) addMessage(message, { counts: false });
    if (!ui.list.childElementCount && !readOnly) {
      ui.list.append(el("div", "chat-welcome", "Welcome to the chat! Say hello."));
    }
    paused = false;
    unseen = 0;
    scrollToBottom();
    showMore();
  }

  // --- Held messages (moderators) -------------------------------------------------------------
  const held = new Map();

  function heldNode(item) {
    const row = el("li", "held-item");
    row.dataset.id = String(item.id);
    const head = el("div", "held-head");
    head.append(nameNode(item.user || {}), el("span", "held-reason", item.reason || "Held by automod"));
    const text = el("p", "held-text", item.text || "");
    const actions = el("div", "held-actions");
    const approve = el("button", "btn btn-sm btn-primary", "Approve");
    approve.type = "button";
    approve.dataset.held = "approve";
    const deny = el("button", "btn btn-sm btn-ghost", "Deny");
    deny.type = "button";
    deny.dataset.held = "deny";
    actions.append(approve, deny);
    row.append(head, text, actions);
    return row;
  }

  function renderHeld() {
    if (!ui.held) return;
    ui.held.hidden = !canModerate || held.size === 0;
    if (ui.heldCount) ui.heldCount.textContent = String(held.size);
  }

  function addHeld(item) {
    if (!ui.heldList || held.has(String(item.id))) return;
    const row = heldNode(item);
    held.set(String(item.id), row);
    ui.heldList.append(row);
    renderHeld();
  }

  function resolveHeld(id) {
    held.get(String(id))?.remove();
    held.delete(String(id));
    renderHeld();
  }

  ui.heldList?.addEventListener("click", (event) => {
    const button = event.target.closest("[data-held]");
    if (!button) return;
    const id = Number(button.closest(".held-item").dataset.id);
    room.send({ type: `chat.held.${button.dataset.held}`, id });
    button.disabled = true;
  });

  // --- Modes and the composer -----------------------------------------------------------------
  function renderModes() {
    if (!ui.modes) return;
    const chips = [];
    const chip = (text, title) => {
      const node = el("span", "mode-chip", text);
      node.title = title;
      chips.push(node);
    };
    if (modes.slow_mode_seconds) chip(`Slow ${modes.slow_mode_seconds}s`, `Slow mode: one message every ${modes.slow_mode_seconds} seconds`);
    if (modes.followers_only_minutes !== null && modes.followers_only_minutes !== undefined) {
      const minutes = Number(modes.followers_only_minutes);
      chip("Followers-only", minutes ? `Followers of at least ${formatDuration(minutes * 60)} only` : "Followers only");
    }
    if (modes.subscribers_only) chip("Subscribers-only", "Only subscribers can chat");
    if (modes.emote_only) chip("Emote-only", "Messages may only contain emotes");
    if (modes.unique_chat) chip("Unique", "Repeating your last message is refused");
    if (modes.min_account_age_minutes) chip(`Accounts ${formatDuration(modes.min_account_age_minutes * 60)}+`, "Accounts younger than this can't chat");
    ui.modes.replaceChildren(...chips);
    ui.modes.hidden = chips.length === 0;
  }

  function blockedReason() {
    if (!me) return { kind: "signin" };
    if (block.kind === "timeout" && block.until) {
      const left = (new Date(block.until).getTime() - Date.now()) / 1000;
      if (left > 0) return { kind: "timeout", left };
      block = { kind: "", until: "", text: "" };
    }
    if (block.kind && block.kind !== "timeout") return block;
    if (!canSend) return { kind: "cannot" };
    return null;
  }

  function renderBlocked(reason) {
    if (!ui.blocked) return;
    const nodes = [];
    if (reason.kind === "signin") {
      const link = el("a", "", "Sign in to chat");
      link.href = root.dataset.loginUrl || "/accounts/login/";
      nodes.push(link);
    } else if (reason.kind === "verify") {
      nodes.push(document.createTextNode("Verify your e-mail address to chat. "));
      const link = el("a", "", "Verify now");
      link.href = root.dataset.verifyUrl || "/accounts/email/";
      nodes.push(link);
    } else if (reason.kind === "timeout") {
      nodes.push(document.createTextNode(`You're timed out. You can chat again in ${formatDuration(reason.left)}.`));
    } else if (reason.kind === "banned") {
      nodes.push(document.createTextNode(reason.text || "You're banned from this chat."));
    } else {
      nodes.push(document.createTextNode(reason.text || "You can't chat in this channel right now."));
    }
    ui.blocked.replaceChildren(...nodes);
  }

  function renderComposer() {
    if (!ui.form) return;
    const reason = blockedReason();
    ui.form.hidden = Boolean(reason);
    if (ui.blocked) ui.blocked.hidden = !reason;
    if (reason) renderBlocked(reason);
    const waiting = Math.ceil((slowUntil - Date.now()) / 1000);
    const length = ui.input ? ui.input.value.length : 0;
    if (ui.count) {
      ui.count.textContent = `${length}/${MAX_LENGTH}`;
      ui.count.classList.toggle("is-near", length > MAX_LENGTH - 50);
    }
    if (ui.send) {
      ui.send.disabled = waiting > 0 || !room.isOpen();
      ui.send.textContent = waiting > 0 ? `${waiting}s` : "Chat";
      ui.send.title = waiting > 0 ? `Slow mode: wait ${waiting} seconds` : "Send (Enter)";
    }
    if (ui.input) {
      ui.input.placeholder = modes.emote_only ? "Emote-only mode: send emotes" : "Send a message";
    }
  }

  function startSlowMode(seconds) {
    const wait = seconds ?? (canModerate ? 0 : Number(modes.slow_mode_seconds || 0));
    if (wait > 0) slowUntil = Math.max(slowUntil, Date.now() + wait * 1000);
    renderComposer();
  }

  setInterval(() => {
    if (slowUntil || block.kind === "timeout") renderComposer();
  }, 1000);

  function showError(message) {
    if (!ui.error) return;
    ui.error.textContent = message;
    ui.error.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => (ui.error.hidden = true), ERROR_MS);
  }

  function onError(frame) {
    const code = frame.code || "";
    const message = frame.message || "";
    const seconds = Number((/(\d+)\s*(?:more\s+)?s/.exec(message) || [])[1] || 0);
    if (code === "banned") block = { kind: "banned", until: "", text: message };
    else if (code === "timed_out" && seconds) {
      block = { kind: "timeout", until: new Date(Date.now() + seconds * 1000).toISOString(), text: "" };
    } else if (code === "verify_email") block = { kind: "verify", until: "", text: "" };
    else if (code === "sign_in") me = null;
    else if (code === "slow_mode" || code === "rate_limited") startSlowMode(seconds || Number(modes.slow_mode_seconds || 0));
    // A refused message comes back to the box so it can be fixed and resent (a held one waits for review).
    if (ui.input && !ui.input.value && lastSent && code !== "held") ui.input.value = lastSent;
    if (!["banned", "timed_out", "verify_email", "sign_in"].includes(code)) {
      showError(message || "That didn't work. Try again.");
    }
    renderComposer();
  }

  function sendMessage() {
    const text = ui.input.value.trim();
    if (!text || Date.now() < slowUntil) return;
    if (!room.send({ type: "chat.send", text })) {
      showError("Not connected to chat. Reconnecting…");
      return;
    }
    lastSent = text.split(/\s+/).join(" ");
    ui.input.value = "";
    ui.error && (ui.error.hidden = true);
    renderComposer();
  }

  ui.form?.addEventListener("submit", (event) => {
    event.preventDefault();
    sendMessage();
  });
  ui.input?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendMessage();
    }
  });
  ui.input?.addEventListener("input", () => {
    if (ui.input.value.includes("\n")) ui.input.value = ui.input.value.replace(/\n/g, " ");
    renderComposer();
  });

  if (ui.emoteButton && ui.emotePanel && root.dataset.emotesUrl) {
    createEmotePicker({
      button: ui.emoteButton,
      panel: ui.emotePanel,
      url: root.dataset.emotesUrl,
      onPick(code) {
        const input = ui.input;
        const start = input.selectionStart ?? input.value.length;
        const end = input.selectionEnd ?? input.value.length;
        const before = input.value.slice(0, start);
        const insert = `${before && !before.endsWith(" ") ? " " : ""}${code} `;
        input.value = (before + insert + input.value.slice(end)).slice(0, MAX_LENGTH);
        const caret = Math.min(MAX_LENGTH, before.length + insert.length);
        input.setSelectionRange(caret, caret);
        input.focus();
        renderComposer();
      },
    });
  }

  // --- Moderation menus and the user card -----------------------------------------------------
  const menu = el("div", "chat-menu");
  menu.hidden = true;
  menu.setAttribute("role", "menu");
  root.append(menu);

  function closeMenu() {
    menu.hidden = true;
    menu.replaceChildren();
  }

  function openMenu(anchor, children) {
    menu.replaceChildren(...children);
    menu.hidden = false;
    const box = root.getBoundingClientRect();
    const at = anchor.getBoundingClientRect();
    const top = Math.min(at.bottom - box.top + 4, box.height - menu.offsetHeight - 8);
    menu.style.top = `${Math.max(8, top)}px`;
    menu.style.right = `${Math.max(8, box.right - at.right)}px`;
    menu.querySelector("button")?.focus();
  }

  function menuButton(label, onClick, className = "chat-menu-item") {
    const button = el("button", className, label);
    button.type = "button";
    button.setAttribute("role", "menuitem");
    button.addEventListener("click", () => {
      onClick();
      closeMenu();
    });
    return button;
  }

  function timeoutMenu(anchor, username) {
    const title = el("p", "chat-menu-title", `Time out ${username}`);
    const items = TIMEOUTS.map(([seconds, label]) =>
      menuButton(label, () => room.send({ type: "chat.timeout", username, seconds })),
    );
    openMenu(anchor, [title, ...items]);
  }

  function banMenu(anchor, username) {
    const title = el("p", "chat-menu-title", `Ban ${username} from this chat?`);
    const reason = el("input", "chat-menu-input");
    reason.type = "text";
    reason.maxLength = 300;
    reason.placeholder = "Reason (optional)";
    reason.setAttribute("aria-label", "Reason");
    const row = el("div", "chat-menu-row");
    const confirm = menuButton(
      "Ban",
      () => room.send({ type: "chat.ban", username, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) }),
      "btn btn-sm btn-danger",
    );
    row.append(menuButton("Cancel", () => {}, "btn btn-sm btn-ghost"), confirm);
    openMenu(anchor, [title, reason, row]);
    reason.focus();
  }

  function reportMenu(anchor, id) {
    const title = el("p", "chat-menu-title", "Report this message to the moderators?");
    const row = el("div", "chat-menu-row");
    row.append(
      menuButton("Cancel", () => {}, "btn btn-sm btn-ghost"),
      menuButton(
        "Report",
        () => {
          room.send({ type: "chat.report", id: Number(id) });
        },
        "btn btn-sm btn-danger",
      ),
    );
    openMenu(anchor, [title, row]);
  }

  function modAction(anchor, action, { id, username }) {
    if (action === "delete") room.send({ type: "chat.delete", id: Number(id) });
    else if (action === "timeout") timeoutMenu(anchor, username);
    else if (action === "ban") banMenu(anchor, username);
    else if (action === "report") reportMenu(anchor, id);
  }

  ui.list.addEventListener("click", (event) => {
    const tool = event.target.closest("[data-tool]");
    if (tool) {
      const line = tool.closest(".chat-line");
      const username = line.querySelector(".chat-name")?.dataset.username || "";
      modAction(tool, tool.dataset.tool, { id: line.dataset.id, username });
      return;
    }
    const name = event.target.closest("button.chat-name");
    if (name) openCard(name.dataset.username);
  });
  ui.heldList?.addEventListener("click", (event) => {
    const name = event.target.closest("button.chat-name");
    if (name) openCard(name.dataset.username);
  });

  document.addEventListener("click", (event) => {
    if (!menu.hidden && !menu.contains(event.target) && !event.target.closest("[data-tool], [data-chat-action]")) closeMenu();
  });
  root.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (!menu.hidden) closeMenu();
    else if (ui.card && !ui.card.hidden) closeCard();
  });

  async function openCard(username) {
    if (!ui.card || !ui.cardBody || !username || !root.dataset.cardUrl) return;
    const url = root.dataset.cardUrl + encodeURIComponent(username);
    ui.card.hidden = false;
    ui.cardBody.replaceChildren(el("p", "chat-card-loading", "Loading…"));
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: ui.cardBody, swap: "innerHTML" });
      return;
    }
    const response = await fetch(url, { headers: { "HX-Request": "true" } });
    // Django's template rendered and escaped this partial: no message data is interpolated here.
    ui.cardBody.innerHTML = response.ok ? await response.text() : "";
  }

  function closeCard() {
    ui.card.hidden = true;
    ui.cardBody.replaceChildren();
  }

  ui.card?.addEventListener("click", (event) => {
    if (event.target.closest("[data-chat-card-close]")) {
      closeCard();
      return;
    }
    const action = event.target.closest("[data-chat-action]");
    if (!action) return;
    const username = action.dataset.username;
    const kind = action.dataset.chatAction;
    if (kind === "timeout") room.send({ type: "chat.timeout", username, seconds: Number(action.dataset.seconds) });
    else if (kind === "ban") banMenu(action, username);
    else if (kind === "unban") room.send({ type: "chat.unban", username });
    else if (kind === "mention" && ui.input) {
      ui.input.value = `${ui.input.value.trim()} @${username} `.trimStart();
      ui.input.focus();
      closeCard();
    }
    if (kind === "timeout" || kind === "unban") closeCard();
  });

  // --- Frames ---------------------------------------------------------------------------------
  function onFrame(frame) {
    switch (frame.type) {
      case "chat.welcome":
        me = frame.me && frame.me.username ? frame.me : null;
        canSend = Boolean(frame.can_send);
        canModerate = Boolean(frame.can_moderate) && !readOnly;
        modes = frame.modes || {};
        if (canSend && block.kind !== "timeout") block = { kind: "", until: "", text: "" };
        root.classList.toggle("is-moderator", canModerate);
        renderModes();
        renderComposer();
        renderHeld();
        break;
      case "chat.history":
        showHistory(frame.messages);
        if (Array.isArray(frame.held)) {
          for (const row of held.values()) row.remove();
          held.clear();
          for (const item of frame.held) addHeld(item);
          renderHeld();
        }
        break;
      case "chat.message": {
        ui.list.querySelector(".chat-welcome")?.remove();
        // Only a live echo of my own message starts the slow-mode wait (not history, not an approval).
        const line = addMessage(frame);
        if (line?.classList.contains("is-mine") && lastSent && frame.text === lastSent) startSlowMode();
        break;
      }
      case "chat.delete":
        markDeleted(lines.get(String(frame.id)));
        break;
      case "chat.purge": {
        const who = String(frame.username || "").toLowerCase();
        for (const line of ui.list.querySelectorAll(".chat-line")) {
          if (line.dataset.username === who) markDeleted(line);
        }
        break;
      }
      case "chat.clear":
        ui.list.replaceChildren();
        lines.clear();
        break;
      case "chat.mode":
        modes = frame.modes || modes;
        renderModes();
        renderComposer();
        break;
      case "chat.notice":
        notice(frame.text || "");
        break;
      case "chat.highlight": {
        // A donation or subscription (monetization/realtime.py): a highlighted line, text as DOM text.
        const line = el("div", `chat-highlight chat-highlight-${frame.kind || "event"}`);
        line.append(el("strong", "chat-highlight-title", frame.title || ""));
        if (frame.text) line.append(el("div", "chat-highlight-text", frame.text));
        append(line, { counts: false });
        break;
      }
      case "chat.held":
        if (canModerate) addHeld(frame);
        break;
      case "chat.held.resolved":
        resolveHeld(frame.id);
        break;
      case "error":
        if (!readOnly) onError(frame);
        break;
      default:
        break;
    }
  }

  function onState(state) {
    if (ui.status) {
      ui.status.hidden = state === "open";
      ui.status.textContent = state === "connecting" ? "Connecting to chat…" : "Chat disconnected. Reconnecting…";
    }
    root.dataset.state = state;
    renderComposer();
  }

  room = openRoom(root.dataset.wsPath, onFrame, { onState });
  if (root.dataset.signedIn === "true") me = me || { username: root.dataset.username || "" };
  renderComposer();
  root.closest("[data-chat-ready]")?.removeAttribute("data-chat-ready");
}

for (const root of document.querySelectorAll("[data-chat]")) initChat(root);
