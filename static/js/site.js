// AeThex Live site behaviour: menus, toasts, copy buttons, the phone search toggle and avatar preview.
// Plain ES module, no build step. Everything is delegated from document so htmx swaps keep working.

const TOAST_TIMEOUT_MS = 6000;

function closeMenus(except) {
  for (const button of document.querySelectorAll("[data-menu-toggle][aria-expanded='true']")) {
    if (button === except) continue;
    button.setAttribute("aria-expanded", "false");
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    if (menu) menu.hidden = true;
  }
}

function toggleMenu(button) {
  const menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const open = button.getAttribute("aria-expanded") !== "true";
  closeMenus(button);
  button.setAttribute("aria-expanded", String(open));
  menu.hidden = !open;
  if (open) menu.querySelector("a, button")?.focus();
}

function dismissToast(toast) {
  if (!toast || toast.classList.contains("is-leaving")) return;
  toast.classList.add("is-leaving");
  setTimeout(() => toast.remove(), 200);
}

async function copyText(button) {
  const source = document.querySelector(button.dataset.copy);
  const text = source ? (source.value ?? source.textContent).trim() : "";
  const label = button.querySelector("[data-copy-label]") || button;
  const original = label.textContent;
  try {
    await navigator.clipboard.writeText(text);
    label.textContent = "Copied!";
  } catch {
    // Clipboard needs a secure context; fall back to selecting the text for Ctrl+C.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    label.textContent = "Press Ctrl+C";
  }
  setTimeout(() => {
    label.textContent = original;
  }, 2000);
}

function toggleSearch(button) {
  const header = button.closest(".site-header");
  const open = !header.classList.contains("search-open");
  header.classList.toggle("search-open", open);
  button.setAttribute("aria-expanded", String(open));
  if (open) header.querySelector(".header-search input")?.focus();
}

function previewAvatar(input) {
  const file = input.files && input.files[0];
  const target = document.querySelector(input.dataset.preview);
  if (!file || !target || !file.type.startsWith("image/")) return;
  const img = document.createElement("img");
  img.className = target.className.replace("avatar-initials", "").trim();
  img.alt = "Preview of your new avatar";
  img.id = target.id;
  img.src = URL.createObjectURL(file);
  target.replaceWith(img);
}

function previewColor(input) {
  for (const node of document.querySelectorAll(input.dataset.colorPreview)) {
    node.style.color = input.value;
  }
}

document.addEventListener("click", (event) => {
  const menuButton = event.target.closest("[data-menu-toggle]");
  if (menuButton) {
    toggleMenu(menuButton);
    return;
  }
  const dismiss = event.target.closest("[data-dismiss]");
  if (dismiss) {
    dismissToast(dismiss.closest(".toast"));
    return;
  }
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    copyText(copy);
    return;
  }
  const search = event.target.closest("[data-search-toggle]");
  if (search) {
    toggleSearch(search);
    return;
  }
  if (!event.target.closest(".menu")) closeMenus(null);
  if (!event.target.closest(".header-search")) {
    const results = document.getElementById("search-dropdown");
    if (results) results.innerHTML = "";
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector("[data-menu-toggle][aria-expanded='true']");
  closeMenus(null);
  open?.focus();
  const results = document.getElementById("search-dropdown");
  if (results) results.innerHTML = "";
});

document.addEventListener("change", (event) => {
  if (event.target.matches("input[type='file'][data-preview]")) previewAvatar(event.target);
});

document.addEventListener("input", (event) => {
  if (event.target.matches("input[data-color-preview]")) previewColor(event.target);
});

for (const toast of document.querySelectorAll(".toast:not(.toast-error)")) {
  setTimeout(() => dismissToast(toast), TOAST_TIMEOUT_MS);
}
