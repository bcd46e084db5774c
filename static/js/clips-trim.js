// The VOD trim editor: an hls.js preview, a timeline with start/end handles (drag, arrow keys or
// the number fields), the 5-60 s bound enforced as you go, a looping preview, and submit.
import { api } from "./clips-api.js";

const root = document.querySelector("[data-trim]");

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

async function attachVideo(video, playlist, moduleUrl) {
  if (!playlist) return;
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = playlist;
    return;
  }
  const { default: Hls } = await import(moduleUrl);
  if (!Hls.isSupported()) return;
  const hls = new Hls({ maxBufferLength: 30 });
  hls.loadSource(playlist);
  hls.attachMedia(video);
}

if (root) {
  const duration = Number(root.dataset.duration);
  const min = Number(root.dataset.min);
  const max = Number(root.dataset.max);
  const video = root.querySelector("[data-video]");
  const timeline = root.querySelector("[data-timeline]");
  const range = root.querySelector("[data-range]");
  const playhead = root.querySelector("[data-playhead]");
  const handles = { start: root.querySelector("[data-handle=start]"), end: root.querySelector("[data-handle=end]") };
  const inputs = { start: root.querySelector("[data-input=start]"), end: root.querySelector("[data-input=end]") };
  const lengthLabel = root.querySelector("[data-length]");
  const errorBox = root.querySelector("[data-error]");
  const state = { start: 0, end: Math.min(duration, 30), looping: false };

  function setEdge(which, value) {
    // The dragged edge moves within the bounds the other edge allows: the length stays 5-60 s.
    if (which === "start") {
      state.start = clamp(value, Math.max(0, state.end - max), Math.max(0, state.end - min));
    } else {
      state.end = clamp(value, Math.min(duration, state.start + min), Math.min(duration, state.start + max));
    }
    render();
  }

  function render() {
    const left = (state.start / duration) * 100;
    const right = (state.end / duration) * 100;
    range.style.left = `${left}%`;
    range.style.width = `${right - left}%`;
    handles.start.style.left = `${left}%`;
    handles.end.style.left = `${right}%`;
    for (const which of ["start", "end"]) {
      handles[which].setAttribute("aria-valuenow", state[which].toFixed(1));
      handles[which].setAttribute("aria-valuetext", `${state[which].toFixed(1)} seconds`);
      if (document.activeElement !== inputs[which]) inputs[which].value = state[which].toFixed(1);
    }
    const length = state.end - state.start;
    lengthLabel.textContent = `${length.toFixed(1)} s`;
    lengthLabel.classList.toggle("is-bad", length < min - 1e-6 || length > max + 1e-6);
  }

  function positionAt(clientX) {
    const box = timeline.getBoundingClientRect();
    return clamp((clientX - box.left) / box.width, 0, 1) * duration;
  }

  for (const [which, handle] of Object.entries(handles)) {
    handle.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      handle.setPointerCapture(event.pointerId);
      const move = (e) => {
        setEdge(which, positionAt(e.clientX));
        video.currentTime = state[which];
      };
      const up = () => {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", up);
      };
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", up);
    });
    handle.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? 1 : 0.1;
      const moves = { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step };
      if (!(event.key in moves)) return;
      event.preventDefault();
      setEdge(which, state[which] + moves[event.key]);
      video.currentTime = state[which];
    });
    inputs[which].addEventListener("change", () => {
      const value = Number(inputs[which].value);
      if (!Number.isNaN(value)) setEdge(which, value);
      inputs[which].value = state[which].toFixed(1);
    });
  }

  timeline.addEventListener("click", (event) => {
    if (event.target.closest("[data-handle]")) return;
    video.currentTime = positionAt(event.clientX);
  });

  video.addEventListener("timeupdate", () => {
    playhead.style.left = `${(video.currentTime / duration) * 100}%`;
    if (state.looping && video.currentTime >= state.end) video.currentTime = state.start;
  });

  root.querySelector("[data-preview]").addEventListener("click", () => {
    state.looping = true;
    video.currentTime = state.start;
    video.play().catch(() => {});
  });

  root.querySelector("[data-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = root.querySelector("[data-submit]");
    errorBox.hidden = true;
    submit.disabled = true;
    try {
      const clip = await api(root.dataset.api, {
        method: "POST",
        body: {
          vod: Number(root.dataset.vod),
          start: Number(state.start.toFixed(3)),
          end: Number(state.end.toFixed(3)),
          title: root.querySelector("[data-title]").value,
        },
      });
      window.location.assign(clip.url);
    } catch (error) {
      errorBox.textContent = error.message;
      errorBox.hidden = false;
      submit.disabled = false;
    }
  });

  render();
  attachVideo(video, root.dataset.playlist, root.dataset.hlsModule);
}
