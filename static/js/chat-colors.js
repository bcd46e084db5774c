// Chat name colours: a user's chosen #RRGGBB (or one picked from their name), nudged lighter or
// darker until it reads on the chat's background (WCAG contrast 4.5:1).

const PALETTE = [
  "#ff6b7a", "#ff9f43", "#ffc145", "#3ddc97", "#22d3ee", "#5dade2", "#9b7bff", "#f472b6",
  "#a3e635", "#2dd4bf", "#fb7185", "#c084fc", "#60a5fa", "#facc15", "#34d399", "#f97316",
];
const MIN_CONTRAST = 4.5;
const cache = new Map();

function parseHex(hex) {
  const match = /^#([0-9a-f]{6})$/i.exec(hex || "");
  if (!match) return null;
  const value = parseInt(match[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

export function parseRgb(css) {
  const match = /rgba?\(([^)]+)\)/.exec(css || "");
  if (!match) return null;
  const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  if (parts.length >= 4 && parts[3] === 0) return null; // transparent
  return parts.slice(0, 3);
}

function luminance([r, g, b]) {
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function toHsl([r, g, b]) {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h;
  if (max === rn) h = (gn - bn) / d + (gn < bn ? 6 : 0);
  else if (max === gn) h = (bn - rn) / d + 2;
  else h = (rn - gn) / d + 4;
  return [h / 6, s, l];
}

function toRgb([h, s, l]) {
  if (s === 0) return [l * 255, l * 255, l * 255].map(Math.round);
  const hue = (p, q, t) => {
    let u = t;
    if (u < 0) u += 1;
    if (u > 1) u -= 1;
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  return [hue(p, q, h + 1 / 3), hue(p, q, h), hue(p, q, h - 1 / 3)].map((v) => Math.round(v * 255));
}

function defaultColor(username) {
  let hash = 0;
  for (const char of username || "") hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

// The colour to draw `username`'s name with on a background of `background` ([r, g, b]).
export function readableColor(color, username, background) {
  const key = `${color}|${username}|${background.join(",")}`;
  if (cache.has(key)) return cache.get(key);
  let rgb = parseHex(color) || parseHex(defaultColor(username));
  const darkBackground = luminance(background) < 0.4;
  let [h, s, l] = toHsl(rgb);
  for (let step = 0; step < 20 && contrast(rgb, background) < MIN_CONTRAST; step += 1) {
    l = darkBackground ? Math.min(1, l + 0.05) : Math.max(0, l - 0.05);
    rgb = toRgb([h, s, l]);
  }
  const result = `rgb(${rgb.join(" ")})`;
  cache.set(key, result);
  return result;
}
