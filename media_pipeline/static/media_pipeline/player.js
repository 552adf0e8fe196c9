/* Maharat video player: the saved offline MP4 when the lesson was saved for offline,
   else hls.js where MSE exists, native HLS otherwise, MP4 last.
   Starts at the lowest rendition, offers a quality / audio-only picker, remembers the
   position, and dispatches "maharat:video-progress" (the lesson page sends heartbeats). */
(function () {
  "use strict";
  var hlsLoading = null;

  function loadHlsJs(src) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsLoading) {
      hlsLoading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(window.Hls); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return hlsLoading;
  }

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, String(value));
    } catch (e) { /* private mode: no memory, still plays */ }
  }

  function init(video) {
    if (video.dataset.mpReady) return;
    video.dataset.mpReady = "1";
    var box = video.closest("[data-mp-player]");
    var picker = box.querySelector(".mp-quality");
    var d = video.dataset;
    var key = "maharat:video-pos:" + d.assetId;
    var saved = 0;
    try { saved = parseFloat(localStorage.getItem(key) || "0") || 0; } catch (e) { /* none */ }
    var hls = null, watched = 0, sent = 0, last = null, lastSaved = 0;

    function emit() {
      sent = watched;
      var r = function (x) { return Math.round((x || 0) * 10) / 10; };
      video.dispatchEvent(new CustomEvent("maharat:video-progress", {
        bubbles: true,
        detail: {
          assetId: Number(d.assetId),
          positionS: r(video.currentTime),
          watchedS: r(watched),
          durationS: r(isFinite(video.duration) ? video.duration : Number(d.duration))
        }
      }));
    }

    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      if (last !== null && !video.paused && !video.seeking && t > last && t - last < 2) {
        watched += t - last;
      }
      last = t;
      if (watched - sent >= 10) emit();
      if (Math.abs(t - lastSaved) >= 5) { lastSaved = t; store(key, Math.floor(t)); }
    });
    video.addEventListener("seeking", function () { last = null; });
    video.addEventListener("pause", emit);
    video.addEventListener("ended", function () { store(key, null); emit(); });

    function resumeAt(pos) {
      var dur = Number(d.duration) || Infinity;
      return pos > 3 && pos < dur - 5 ? pos : 0;
    }

    function nativeSource(url, pos) {
      var playing = !video.paused;
      video.src = url;
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        if (pos) video.currentTime = pos;
        if (playing) video.play();
      });
      if (playing || pos) video.load();
    }

    function hlsSource(Hls, url, level, pos, autoplay) {
      var playing = autoplay || !video.paused;
      if (hls) hls.destroy();
      hls = new Hls({ startLevel: level, startPosition: pos || -1, capLevelToPlayerSize: true,
                      autoStartLoad: playing });
      hls.attachMedia(video);
      hls.loadSource(url);
      if (!playing) video.addEventListener("play", function once() {
        video.removeEventListener("play", once);
        hls.startLoad(pos || -1);
      });
      if (playing) hls.on(Hls.Events.MANIFEST_PARSED, function () { video.play(); });
    }

    function levelFor(height) {
      if (!hls) return 0;
      for (var i = 0; i < hls.levels.length; i++) if (hls.levels[i].height === height) return i;
      return 0;
    }

    function choose(value, pos) {
      var audio = value === "audio";
      box.classList.toggle("mp-audio-only", audio);
      if (d.mode !== "hls") {
        var opt = picker.options[picker.selectedIndex];
        return nativeSource(value === "auto" ? d.master : opt.dataset.url, pos);
      }
      var Hls = window.Hls;
      if (audio) return hlsSource(Hls, d.audio, -1, pos);
      var pick = function () {
        hls.currentLevel = value === "auto" ? -1 : levelFor(Number(value));
      };
      if (hls && hls.url === d.master) return pick();
      hlsSource(Hls, d.master, 0, pos);
      hls.once(Hls.Events.MANIFEST_PARSED, pick);
    }

    picker.addEventListener("change", function () { choose(picker.value, video.currentTime); });

    var start = resumeAt(saved);
    var mse = window.MediaSource || window.ManagedMediaSource;
    function startMp4() {
      video.dataset.mode = "mp4";
      nativeSource(d.offline, start);
    }
    function startNative() {
      if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.dataset.mode = "native";
        picker.parentNode.hidden = false;
        picker.selectedIndex = 1;  // the lowest rendition: data saver; Auto is one tap
        nativeSource(picker.options[1].dataset.url || d.master, start);
      } else if (d.offline) {
        startMp4();
      }
    }
    /* hls.js (about 117 KB compressed) is fetched when the person presses "Play",
       not with the page: a lesson someone only reads costs no player download. Until
       then the video has no source, so the native controls are hidden behind the
       button (a real button: keyboard and screen readers reach it). */
    function startStreaming() {
      if (!mse) return startNative();
      var button = box.querySelector(".mp-start");
      var begin = function (pressed) {
        loadHlsJs(d.hlsJs).then(function (Hls) {
          if (!Hls || !Hls.isSupported()) return startNative();
          video.dataset.mode = "hls";
          picker.parentNode.hidden = false;
          // level 0: the lowest rendition (data saver)
          hlsSource(Hls, d.master, 0, start, pressed);
        }, startNative);
      };
      if (window.Hls || !button) return begin(false);
      video.controls = false;
      button.hidden = false;
      button.addEventListener("click", function () {
        button.hidden = true;
        video.controls = true;
        video.focus();
        begin(true);
      }, { once: true });
    }
    savedCopy(d.offline).then(function (isSaved) {
      if (isSaved) startMp4(); else startStreaming();
    });
  }

  /* A lesson saved for offline (lms/static/lms/offline.js) keeps the small MP4 in
     Cache Storage: play that copy, with or without a connection. */
  function savedCopy(url) {
    if (!url || !window.caches) return Promise.resolve(false);
    return caches.match(new URL(url, location.href).href, { ignoreVary: true })
      .then(Boolean, function () { return false; });
  }

  function initAll() {
    document.querySelectorAll("[data-mp-player] video").forEach(init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
})();
