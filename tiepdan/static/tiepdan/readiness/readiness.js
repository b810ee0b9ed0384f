/* Kiểm tra sẵn sàng: the test page of a bridge point.
 *
 * Camera (resolution), microphone (level through an AnalyserNode), speakers (a test tone the
 * person confirms), then the path to the media server: a short stream published into the
 * hearing's test room on Janus and watched back through it, measured with getStats().
 * The browser only measures; the server decides pass/fail and stores the result.
 */
(function () {
  "use strict";
  const app = document.getElementById("readiness-app");
  if (!app) return;
  const $ = (id) => document.getElementById(id);
  // Django's JavaScript catalogue (/i18n/js/, loaded first); the Vietnamese source otherwise.
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate ||
    ((format, values) => format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name])));
  const fill = (format, values) => interpolate(format, values, true);
  const advice = window.tiepdanAdvice;
  // A failure we explain ourselves: its message is advice, not a technical detail.
  class Explained extends Error {}
  const token = app.dataset.token || null;
  const MIC_SECONDS = 2.5, MEASURE_SECONDS = 8, CONNECT_TIMEOUT = 15;

  const state = { metrics: null, result: null, errors: [], ws: null, publisher: null, loop: null };
  window.tiepdanReadiness = state;

  const status = (text) => { $("status").textContent = text; };
  const showError = (text) => { const el = $("error"); el.textContent = text; el.hidden = false; };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  function outcome(check, ok, text) {
    const el = $(check).querySelector(".outcome");
    el.textContent = text; el.className = "outcome " + (ok ? "ok" : "fail");
  }

  // -- Signalling: one WebSocket to the app, replies awaited by type ----------------------------
  const waiting = new Map();
  function expect(type, seconds = CONNECT_TIMEOUT) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { waiting.delete(type); reject(new Explained(type === "welcome" || type === "result" ? advice.server : advice.path)); }, seconds * 1000);
      waiting.set(type, (message) => { clearTimeout(timer); resolve(message); });
    });
  }
  const send = (message) => state.ws.send(JSON.stringify(message));
  function connect() {
    return new Promise((resolve, reject) => {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      const ws = new WebSocket(scheme + location.host + app.dataset.ws);
      state.ws = ws;
      ws.addEventListener("message", (event) => {
        const message = JSON.parse(event.data);
        if (message.type === "error") {
          state.errors.push(message);
          showError(message.message || message.code);
          for (const [type, resolveWaiter] of waiting) { waiting.delete(type); resolveWaiter(message); }
          return;
        }
        const waiter = waiting.get(message.type);
        if (waiter) { waiting.delete(message.type); waiter(message); }
      });
      ws.addEventListener("open", () => {
        expect("welcome").then((m) => (m.type === "welcome" ? resolve(m) : reject(new Explained(m.message || advice.server)))).catch(reject);
        send(token ? { type: "hello", token } : { type: "hello" });
      });
      ws.addEventListener("error", () => reject(new Explained(advice.server)));
      ws.addEventListener("close", () => reject(new Explained(advice.server)));
    });
  }

  // -- Devices ----------------------------------------------------------------------------------
  async function checkDevices(metrics) {
    let stream = null;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    } catch (err) {
      outcome("check-camera", false, advice.device(err));
      outcome("check-microphone", false, "");
      return null;
    }
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    $("preview").srcObject = stream;
    const settings = video ? video.getSettings() : {};
    metrics.camera_ok = !!video && video.readyState === "live";
    metrics.camera_width = settings.width || 0;
    metrics.camera_height = settings.height || 0;
    outcome("check-camera", metrics.camera_ok, metrics.camera_ok ? `${metrics.camera_width}×${metrics.camera_height}` : gettext("Không có hình."));
    metrics.microphone_ok = !!audio && audio.readyState === "live";
    if (metrics.microphone_ok) {
      status(gettext("Đang đo âm lượng micro, vui lòng nói thử…"));
      metrics.microphone_level = await micLevel(stream);
    }
    outcome("check-microphone", metrics.microphone_ok, metrics.microphone_ok
      ? fill(gettext("mức %(level)s"), { level: metrics.microphone_level.toFixed(2) }) : gettext("Không có micro."));
    return stream;
  }

  async function micLevel(stream) {
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    let peak = 0;
    const until = performance.now() + MIC_SECONDS * 1000;
    while (performance.now() < until) {
      analyser.getByteTimeDomainData(samples);
      for (const s of samples) peak = Math.max(peak, Math.abs(s - 128) / 128);
      $("mic-level").value = peak;
      await sleep(50);
    }
    await context.close();
    return Math.round(peak * 100) / 100;
  }

  let toneContext = null;
  function playTone() {
    toneContext = toneContext || new AudioContext();
    const oscillator = toneContext.createOscillator();
    const gain = toneContext.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.3, toneContext.currentTime);
    oscillator.connect(gain).connect(toneContext.destination);
    oscillator.start();
    oscillator.stop(toneContext.currentTime + 1);
  }

  function askSpeakers() {
    status(gettext("Kiểm tra loa: hãy nghe tiếng “bíp”."));
    playTone();
    $("speaker-question").hidden = false;
    return new Promise((resolve) => {
      const answer = (heard) => () => {
        $("speaker-question").hidden = true;
        outcome("check-speakers", heard, heard ? gettext("Đã nghe thấy.") : gettext("Không nghe thấy."));
        resolve(heard);
      };
      $("speaker-yes").onclick = answer(true);
      $("speaker-no").onclick = answer(false);
    });
  }
  $("replay-tone").addEventListener("click", playTone);

  // -- The path through Janus -------------------------------------------------------------------
  // ICE servers (TURN credentials of this session) and the relay-only mode: network.js.
  const peer = () => new RTCPeerConnection(window.tiepdanNetwork.rtcConfig(state.welcome && state.welcome.ice_servers));
  const relayBox = $("relay-only");
  if (relayBox) {
    relayBox.checked = window.tiepdanNetwork.relayOnly();
    relayBox.addEventListener("change", () => { window.tiepdanNetwork.setRelayOnly(relayBox.checked); });
  }

  function gathered(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      pc.addEventListener("icegatheringstatechange", () => { if (pc.iceGatheringState === "complete") resolve(); });
      setTimeout(resolve, 3000);
    });
  }

  async function counters() {
    const out = { bytes: 0, lost: 0, received: 0, jitter: 0, rtt: null, at: performance.now() };
    (await state.loop.getStats()).forEach((s) => {
      if (s.type !== "inbound-rtp") return;
      out.bytes += s.bytesReceived || 0;
      out.lost += Math.max(0, s.packetsLost || 0);
      out.received += s.packetsReceived || 0;
      out.jitter = Math.max(out.jitter, (s.jitter || 0) * 1000);
    });
    for (const pc of [state.publisher, state.loop]) {
      (await pc.getStats()).forEach((s) => {
        if (s.type !== "candidate-pair" || s.state !== "succeeded" || !s.nominated) return;
        const rtt = s.responsesReceived ? s.totalRoundTripTime / s.responsesReceived : s.currentRoundTripTime;
        if (rtt != null) out.rtt = Math.max(out.rtt || 0, rtt * 1000);
      });
    }
    return out;
  }

  async function measurePath(stream, metrics) {
    status(gettext("Đang kiểm tra đường truyền đến máy chủ…"));
    const publisher = state.publisher = peer();
    for (const track of stream.getAudioTracks()) publisher.addTransceiver(track, { direction: "sendonly" });
    for (const track of stream.getVideoTracks()) publisher.addTransceiver(track, { direction: "sendonly" });
    await publisher.setLocalDescription(await publisher.createOffer());
    await gathered(publisher);
    const answerWait = expect("answer");
    send({ type: "publish", sdp: publisher.localDescription.sdp });
    const answer = await answerWait;
    if (answer.type !== "answer") return false;
    await publisher.setRemoteDescription({ type: "answer", sdp: answer.sdp });

    const offerWait = expect("offer");
    send({ type: "subscribe" });
    const offer = await offerWait;
    if (offer.type !== "offer") return false;
    const loop = state.loop = peer();
    const back = new MediaStream();
    loop.addEventListener("track", (event) => { back.addTrack(event.track); $("loopback").srcObject = back; });
    await loop.setRemoteDescription({ type: "offer", sdp: offer.sdp });
    await loop.setLocalDescription(await loop.createAnswer());
    await gathered(loop);
    send({ type: "answer", sdp: loop.localDescription.sdp });

    // Count from the first bytes that came back; the setup time is not the path's bitrate.
    const deadline = performance.now() + CONNECT_TIMEOUT * 1000;
    let start = await counters();
    while (start.bytes === 0) {
      if (performance.now() > deadline) return false;
      await sleep(200);
      start = await counters();
    }
    for (let second = 1; second <= MEASURE_SECONDS; second++) {
      await sleep(1000);
      $("path-progress").value = Math.round(100 * second / MEASURE_SECONDS);
    }
    const end = await counters();
    state.counters = { start, end };  // raw, for a look in the console
    const lost = end.lost - start.lost, received = end.received - start.received;
    metrics.bitrate_kbps = Math.round((end.bytes - start.bytes) * 8 / (end.at - start.at) * 10) / 10;
    metrics.loss_pct = received + lost > 0 ? Math.round(1000 * lost / (received + lost)) / 10 : 100;
    metrics.jitter_ms = Math.round(end.jitter * 10) / 10;
    metrics.rtt_ms = end.rtt == null ? null : Math.round(end.rtt * 10) / 10;
    return true;
  }

  function hangUp(stream) {
    for (const pc of [state.publisher, state.loop]) if (pc) pc.close();
    state.publisher = state.loop = null;
    if (stream) for (const track of stream.getTracks()) track.stop();
  }

  // -- The run ----------------------------------------------------------------------------------
  async function run() {
    $("start").disabled = true; $("again").hidden = true; $("result").hidden = true;
    $("error").hidden = true; $("path-progress").value = 0;
    const metrics = {
      camera_ok: false, camera_width: 0, camera_height: 0, microphone_ok: false,
      microphone_level: 0, speakers_confirmed: false,
      rtt_ms: null, jitter_ms: null, loss_pct: null, bitrate_kbps: null,
    };
    state.metrics = metrics;
    let stream = null;
    try {
      status(gettext("Đang kết nối máy chủ…"));
      state.welcome = await connect();
      stream = await checkDevices(metrics);
      metrics.speakers_confirmed = await askSpeakers();
      if (stream) {
        // An ICE or network failure: the path is simply not measured; the advice says why.
        const measured = await measurePath(stream, metrics).catch(() => false);
        outcome("check-path", measured, measured
          ? fill(gettext("%(kbps)s kbps, trễ %(rtt)s ms"), { kbps: metrics.bitrate_kbps, rtt: metrics.rtt_ms })
          : advice.path);
      }
      hangUp(stream); stream = null;
      const resultWait = expect("result");
      send({ type: "result", metrics });
      show(await resultWait);
    } catch (err) {
      if (!(err instanceof Explained)) console.error(err);  // for the technician's console
      showError(err instanceof Explained ? err.message : advice.server);
      status("");
    } finally {
      hangUp(stream);
      if (state.ws) state.ws.close();
      $("start").disabled = false;
    }
  }

  const LABELS = [
    ["camera_width", gettext("Độ phân giải camera"), (m) => `${m.camera_width}×${m.camera_height}`],
    ["microphone_level", gettext("Mức âm micro"), (m) => m.microphone_level],
    ["rtt_ms", gettext("Độ trễ khứ hồi (ms)"), (m) => m.rtt_ms], ["jitter_ms", gettext("Jitter (ms)"), (m) => m.jitter_ms],
    ["loss_pct", gettext("Mất gói (%)"), (m) => m.loss_pct], ["bitrate_kbps", gettext("Tốc độ đạt được (kbps)"), (m) => m.bitrate_kbps],
  ];

  function show(message) {
    if (message.type !== "result") return;
    state.result = message;
    const section = $("result");
    section.hidden = false;
    section.className = message.passed ? "passed" : "failed";
    $("result-title").textContent = message.passed ? gettext("Đạt: điểm cầu sẵn sàng cho buổi tiếp.") : gettext("Chưa đạt: cần khắc phục trước buổi tiếp.");
    $("problems").replaceChildren(...message.problems.map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
    $("metrics").replaceChildren(...LABELS.map(([, label, value]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th"); th.textContent = label;
      const td = document.createElement("td"); const v = value(message.metrics); td.textContent = v == null ? "–" : v;
      tr.append(th, td); return tr;
    }));
    $("again").hidden = false;
    status(message.passed ? gettext("Kiểm tra xong: đạt.") : gettext("Kiểm tra xong: chưa đạt."));
  }

  $("start").addEventListener("click", () => { run(); });
  $("again").addEventListener("click", () => { run(); });
})();
