// The live player: hls.js tuned for low latency, Safari's native HLS where MSE is missing.
// It starts muted (browsers allow muted autoplay), retries while a stream that just went live
// has no playlist yet, and reports its quality levels so the page can offer a picker.

// Latency: a 1 s fragment and a 4 s playlist on the server; stay ~2 fragments behind the edge,
// speed up a little to catch up after a stall, keep very little behind the play head.
export const LOW_LATENCY_CONFIG = {
  lowLatencyMode: true,
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 5,
  maxLiveSyncPlaybackRate: 1.5,
  backBufferLength: 6,
  maxBufferLength: 8,
  maxMaxBufferLength: 12,
  enableWorker: true,
  startFragPrefetch: true,
  capLevelToPlayerSize: true,
};

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 8000;

export class LivePlayer {
  constructor(video, { hlsModuleUrl, onLevels = () => {}, onLevelSwitched = () => {}, onPlaying = () => {} } = {}) {
    this.video = video;
    this.hlsModuleUrl = hlsModuleUrl;
    this.onLevels = onLevels;
    this.onLevelSwitched = onLevelSwitched;
    this.onPlaying = onPlaying;
    this.hls = null;
    this.url = null;
    this.retries = 0;
    this.retryTimer = null;
    this.mediaRecoveries = 0;
    this.Hls = undefined;
    video.addEventListener("playing", () => {
      this.retries = 0;
      this.onPlaying();
    });
    video.addEventListener("error", () => {
      if (!this.hls && this.url) this.scheduleRetry(); // native HLS: the playlist may not exist yet
    });
  }

  get active() {
    return this.url !== null;
  }

  async loadHls() {
    if (this.Hls !== undefined) return this.Hls;
    try {
      const module = await import(this.hlsModuleUrl);
      this.Hls = module.default.isSupported() ? module.default : null;
    } catch (error) {
      console.warn("hls.js could not be loaded; trying the browser's own HLS", error);
      this.Hls = null;
    }
    return this.Hls;
  }

  async play(url) {
    if (this.url === url && (this.hls || this.video.src)) return;
    this.stop();
    this.url = url;
    this.mediaRecoveries = 0;
    const Hls = await this.loadHls();
    if (this.url !== url) return; // stopped or changed while hls.js was loading
    if (Hls) {
      this.attachHls(Hls, url);
    } else if (this.video.canPlayType("application/vnd.apple.mpegurl")) {
      this.video.src = url; // Safari and iOS
      this.start();
    } else {
      console.warn("This browser cannot play HLS.");
    }
  }

  attachHls(Hls, url) {
    const hls = new Hls(LOW_LATENCY_CONFIG);
    this.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      this.onLevels(hls.levels.map((level, index) => ({ index, height: level.height, bitrate: level.bitrate })));
      this.start();
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
      const level = hls.levels[data.level];
      this.onLevelSwitched(level ? level.height : null, hls.autoLevelEnabled);
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && this.mediaRecoveries < 2) {
        this.mediaRecoveries += 1;
        hls.recoverMediaError();
        return;
      }
      this.scheduleRetry(); // a playlist not written yet, a dropped connection...
    });
    hls.loadSource(url);
    hls.attachMedia(this.video);
  }

  start() {
    const attempt = this.video.play();
    if (attempt && attempt.catch) {
      attempt.catch(() => {
        // Autoplay with sound was refused: play muted, the page offers an unmute button.
        this.video.muted = true;
        this.video.play().catch(() => {});
      });
    }
  }

  scheduleRetry() {
    const url = this.url;
    this.teardown();
    this.url = url;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.retries);
    this.retries += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.url !== url) return;
      this.url = null;
      this.play(url);
    }, delay);
  }

  setLevel(index) {
    if (this.hls) this.hls.currentLevel = index; // -1: automatic
  }

  teardown() {
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    if (this.video.getAttribute("src")) {
      this.video.removeAttribute("src");
      this.video.load();
    }
  }

  stop() {
    clearTimeout(this.retryTimer);
    this.url = null;
    this.retries = 0;
    this.teardown();
  }
}
