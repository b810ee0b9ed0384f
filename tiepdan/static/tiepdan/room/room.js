/* Phòng tiếp trực tuyến: the browser side of the hearing room.
 *
 * Speaks only to the app (one WebSocket); the app relays SDP to and from Janus and enforces
 * every permission.  Plain RTCPeerConnection: one for what we publish, one per feed we watch.
 * SDP is sent once ICE gathering is complete (no trickle needed from the browser).
 */
(function () {
  "use strict";
  const app = document.getElementById("room-app");
  if (!app) return;
  const role = app.dataset.role;
  const token = app.dataset.token || null;
  const $ = (id) => document.getElementById(id);
  // Django's JavaScript catalogue (/i18n/js/, loaded first); the Vietnamese source otherwise.
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate ||
    ((format, values) => format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name])));
  const fill = (format, values) => interpolate(format, values, true);
  const STEPS = { rules: "step-rules", device_check: "step-device", lobby: "step-lobby", room: "step-room" };
  const ERRORS = {
    forbidden: gettext("Bạn không có quyền thực hiện thao tác này."),
    already_connected: gettext("Đường dẫn này đang được dùng trên một thiết bị khác."),
    bad_link: gettext("Đường dẫn vào phòng không hợp lệ."),
    expired_link: gettext("Đường dẫn vào phòng đã hết hạn."),
  };

  const state = {
    key: null, stage: null, myFeed: null, participants: [], floor: null, queue: [],
    localStream: null, publisher: null, subscribers: new Map(), errors: [], stats: {}, ended: null,
    alerts: [], admitted: false, welcome: null, floorEnds: null,
  };
  window.tiepdanRoom = state;
  // Per watched feed: inbound audio bytes, decoded video frames and the shown width (the
  // operator's checks; tests and the media benchmark read it too).
  state.inboundVideo = async () => {
    const out = {};
    for (const [feed, pc] of state.subscribers) {
      if (!pc) continue;
      const entry = out[feed] = { audioBytes: 0, videoBytes: 0, framesDecoded: 0, width: 0 };
      (await pc.getStats()).forEach((s) => {
        if (s.type !== "inbound-rtp") return;
        if (s.kind === "audio") entry.audioBytes += s.bytesReceived || 0;
        if (s.kind === "video") {
          entry.videoBytes += s.bytesReceived || 0;
          entry.framesDecoded += s.framesDecoded || 0;
        }
      });
      const video = document.querySelector(`.tile[data-feed="${feed}"] video`);
      entry.width = video ? video.videoWidth : 0;
    }
    return out;
  };

  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const send = (message) => { if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message)); };
  state.send = send;
  // Rules read and devices checked once are not asked again when the connection comes back.
  let joinedBefore = false, rulesDone = false, deviceDone = false, retries = 0;

  function status(text) { $("room-status").textContent = text; }
  function showError(text) { const el = $("room-error"); el.textContent = text; el.hidden = false; }

  function showStep(stage) {
    state.stage = stage;
    for (const [name, id] of Object.entries(STEPS)) $(id).hidden = name !== stage;
    if (stage === "device_check") startDeviceCheck();
    if (stage === "room") enterRoom();
    status({ rules: gettext("Vui lòng đọc nội quy."), device_check: gettext("Kiểm tra thiết bị."),
             lobby: gettext("Đang chờ cho vào phòng."), room: gettext("Đang trong phòng tiếp.") }[stage] || "");
  }

  function connect() {
    const ws = new WebSocket(scheme + location.host + app.dataset.ws);
    state.ws = ws;
    ws.addEventListener("open", () => { send(token ? { type: "hello", token } : { type: "hello" }); });
    ws.addEventListener("close", (event) => {
      dropMedia();
      // A page that was in the room rejoins by itself (network drop, server restart); a
      // refused link or a second device does not.
      if (state.ended) { status(state.ended); return; }  // the hearing is over (code 4000)
      if (!joinedBefore || event.code === 4403 || retries > 30) { status(gettext("Mất kết nối với máy chủ.")); return; }
      retries += 1;
      status(gettext("Mất kết nối, đang kết nối lại…"));
      setTimeout(connect, Math.min(1000 * retries, 5000));
    });
    ws.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      const handler = handlers[message.type];
      // A media failure (SDP, ICE) is explained in plain words; its name goes to the console.
      if (handler) handler(message).catch?.((err) => { console.error(err); showError(window.tiepdanAdvice.path); });
    });
  }

  function dropMedia() {
    if (state.publisher) state.publisher.close();
    state.publisher = null;
    for (const pc of state.subscribers.values()) if (pc) pc.close();
    state.subscribers.clear();
    document.querySelectorAll('.tile:not([data-feed="me"])').forEach((tile) => tile.remove());
    state.myFeed = null;
    state.stage = null;  // until the server says where we are again
    previous = { at: 0, out: 0, in: 0 };  // new connections count from zero
  }

  const handlers = {
    async welcome(m) {
      state.welcome = m; state.key = m.key; joinedBefore = true; retries = 0;
      $("room-error").hidden = true;
      $("network-mode").hidden = window.tiepdanNetwork.rtcConfig(m.ice_servers).iceTransportPolicy !== "relay";
      if (rulesDone) send({ type: "rules_accepted" }); else showStep(m.stage);
    },
    async stage(m) {
      if (m.stage === "device_check" && deviceDone) { send({ type: "device_check_ok" }); return; }
      showStep(m.stage);
    },
    async ended(m) { state.ended = m.message; dropMedia(); status(m.message);
      for (const id of Object.values(STEPS)) $(id).hidden = true; },
    async admitted() { state.admitted = true; if (state.stage !== "room") showStep("room"); },
    async error(m) { state.errors.push(m); showError(ERRORS[m.code] || m.message || m.code); },
    async answer(m) { await state.publisher.setRemoteDescription({ type: "answer", sdp: m.sdp }); },
    async offer(m) { await watch(m.feed, m.sdp); },
    async participants(m) { state.participants = m.participants; state.queue = m.queue; render(); syncFeeds(); },
    async floor(m) {
      state.floor = m.holder; state.queue = m.queue;
      // The server says how long is left, not when it ends: this page's clock may be off.
      state.floorEnds = m.holder && m.left != null ? performance.now() + m.left * 1000 : null;
      render();
    },
    async stats(m) { state.stats[m.participant] = m.stats; renderStats(); },
    async alert(m) { state.alerts.push(m); const li = document.createElement("li");
      const reasons = { video_stopped: gettext("mất hình quá 10 giây"),
        poor_network: fill(gettext("đường truyền kém (mất gói %(loss)s, trễ %(rtt)s ms)"),
                           { loss: `${m.loss_pct ?? "?"}%`, rtt: m.rtt_ms ?? "?" }),
        network_recovered: gettext("đường truyền đã ổn định lại"),
        recording_stopped: gettext("ghi hình bị gián đoạn") };
      li.textContent = `${m.name}: ${reasons[m.reason] || m.reason}`;
      if (m.reason !== "network_recovered") li.className = "alert";
      $("alerts").append(li); },
  };

  // -- Rules and device check -----------------------------------------------------------------
  $("accept-rules").addEventListener("click", () => { rulesDone = true; send({ type: "rules_accepted" }); });
  $("device-ok").addEventListener("click", () => { deviceDone = true; send({ type: "device_check_ok" }); });

  async function startDeviceCheck() {
    if (role === "operator" || role === "observer") { $("device-ok").disabled = false; return; }
    try {
      state.localStream = await navigator.mediaDevices.getUserMedia({
        audio: true, video: { width: 640, height: 480 } });
    } catch (err) {
      $("device-result").textContent = window.tiepdanAdvice.device(err);
      return;
    }
    $("preview").srcObject = state.localStream;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(state.localStream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const meter = () => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s - 128) / 128);
      $("mic-level").value = peak;
      if (state.stage === "device_check") requestAnimationFrame(meter);
    };
    meter();
    $("device-result").textContent = gettext("Camera và micro hoạt động.");
    $("device-ok").disabled = false;
  }

  // -- Media ------------------------------------------------------------------------------------
  // ICE servers (TURN credentials of this session) and the relay-only mode: network.js.
  const peer = () => new RTCPeerConnection(window.tiepdanNetwork.rtcConfig(state.welcome && state.welcome.ice_servers));

  function gathered(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { if (pc.iceGatheringState === "complete") { pc.removeEventListener("icegatheringstatechange", done); resolve(); } };
      pc.addEventListener("icegatheringstatechange", done);
      setTimeout(resolve, 3000);  // enough candidates by then; Janus needs no more
    });
  }

  async function enterRoom() {
    if (role === "chair") $("chair-panel").hidden = false;
    if (role === "operator") $("operator-panel").hidden = false;
    $("raise-hand").hidden = role !== "participant";
    if (state.publisher || !state.localStream) { syncFeeds(); return; }
    const pc = peer();
    state.publisher = pc;
    // Audio first: its mid is "0", the one the server mutes.
    for (const track of state.localStream.getAudioTracks()) pc.addTransceiver(track, { direction: "sendonly" });
    for (const track of state.localStream.getVideoTracks()) pc.addTransceiver(track, { direction: "sendonly" });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    send({ type: "publish", sdp: pc.localDescription.sdp });
    syncFeeds();
  }

  function syncFeeds() {
    if (state.stage !== "room") return;
    const me = state.participants.find((p) => p.key === state.key);
    state.myFeed = me ? me.feed : null;
    const live = new Set();
    for (const p of state.participants) {
      if (p.feed && p.stage === "room" && p.key !== state.key) {
        live.add(p.feed);
        if (!state.subscribers.has(p.feed)) { state.subscribers.set(p.feed, null); send({ type: "subscribe", feed: p.feed }); }
      }
    }
    for (const [feed, pc] of state.subscribers) {
      if (!live.has(feed)) { if (pc) pc.close(); state.subscribers.delete(feed); document.querySelector(`[data-feed="${feed}"]`)?.remove(); }
    }
    render();
  }

  async function watch(feed, sdp) {
    const pc = peer();
    state.subscribers.set(feed, pc);
    const stream = new MediaStream();
    pc.addEventListener("track", (event) => {
      stream.addTrack(event.track);
      tileFor(feed).querySelector("video").srcObject = stream;
      render();  // the tile's label
    });
    await pc.setRemoteDescription({ type: "offer", sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    send({ type: "answer", feed, sdp: pc.localDescription.sdp });
  }

  function tileFor(feed) {
    let tile = document.querySelector(`.tile[data-feed="${feed}"]`);
    if (!tile) {
      tile = document.createElement("figure");
      tile.className = "tile";
      tile.dataset.feed = feed;
      const video = document.createElement("video");
      video.autoplay = true; video.playsInline = true;
      if (feed === "me") video.muted = true;
      const label = document.createElement("figcaption");
      label.className = "label";
      tile.append(video, label);
      $("tiles").append(tile);
    }
    return tile;
  }

  // -- Rendering --------------------------------------------------------------------------------
  function nameOf(key) { const p = state.participants.find((x) => x.key === key); return p ? (p.point || p.name) : key; }

  function render() {
    if (state.localStream && state.stage === "room" && role !== "operator" && role !== "observer") {
      const mine = tileFor("me");
      if (!mine.querySelector("video").srcObject) mine.querySelector("video").srcObject = state.localStream;
      mine.querySelector(".label").textContent = state.floor === state.key
        ? gettext("Điểm cầu của tôi · đang phát biểu") : gettext("Điểm cầu của tôi · đã tắt tiếng");
      mine.classList.toggle("speaking", state.floor === state.key);
    }
    for (const p of state.participants) {
      if (!p.feed || p.key === state.key) continue;
      const tile = document.querySelector(`.tile[data-feed="${p.feed}"]`);
      if (!tile) continue;
      tile.querySelector(".label").textContent = `${p.point || p.name}${p.hand ? " ✋" : ""}${state.floor === p.key ? " · " + gettext("đang phát biểu") : ""}`;
      tile.classList.toggle("speaking", state.floor === p.key);
    }
    $("floor-banner").textContent = state.floor
      ? fill(gettext("Đang phát biểu: %(name)s"), { name: nameOf(state.floor) }) : gettext("Chưa ai được phát biểu.");
    renderTimeLeft();
    const me = state.participants.find((p) => p.key === state.key);
    if (role === "participant") { $("raise-hand").hidden = !!(me && me.hand); $("lower-hand").hidden = !(me && me.hand);
      $("mic-state").hidden = state.floor === state.key; $("mic-live").hidden = state.floor !== state.key; }
    if (role === "chair") renderChair();
    if (role === "operator") renderLobby();
  }

  // The speaker's time budget, counted down here (the server ends it, whatever this shows).
  function renderTimeLeft() {
    const el = $("floor-time");
    const left = state.floorEnds === null ? null : Math.max(0, Math.round((state.floorEnds - performance.now()) / 1000));
    el.hidden = left === null;
    if (left === null) return;
    const clock = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    el.textContent = fill(gettext("Thời gian phát biểu còn lại: %(time)s"), { time: clock });
  }
  setInterval(() => { if (state.stage === "room") renderTimeLeft(); }, 1000);

  function button(text, onClick, attrs = {}) {
    const b = document.createElement("button");
    b.type = "button"; b.className = "btn"; b.textContent = text;
    Object.assign(b.dataset, attrs);
    b.addEventListener("click", onClick);
    return b;
  }

  function grant(key) {
    const seconds = parseInt($("grant-seconds").value, 10);
    send(Number.isFinite(seconds) ? { type: "grant_floor", participant: key, seconds } : { type: "grant_floor", participant: key });
  }

  function renderChair() {
    $("queue").replaceChildren(...state.queue.map((key) => {
      const li = document.createElement("li");
      li.append(`✋ ${nameOf(key)} `, button(gettext("Cho phát biểu"), () => grant(key), { grant: key }));
      return li;
    }));
    $("chair-points").replaceChildren(...state.participants.filter((p) => p.feed).map((p) => {
      const li = document.createElement("li");
      li.append(`${p.point || p.name} `, button(gettext("Cho phát biểu"), () => grant(p.key), { grant: p.key }));
      return li;
    }));
  }

  function renderLobby() {
    $("lobby").replaceChildren(...state.participants.filter((p) => p.stage === "lobby").map((p) => {
      const li = document.createElement("li");
      li.append(`${p.point} — ${p.name}${p.citizen ? " (" + gettext("công dân") + ")" : ""} `);
      if (p.citizen && !p.identity_checked) li.append(button(gettext("Đã kiểm tra danh tính"), () => send({ type: "identity_checked", participant: p.key }), { identity: p.key }));
      li.append(button(gettext("Cho vào phòng"), () => send({ type: "admit", participant: p.key }), { admit: p.key }));
      return li;
    }));
  }

  function renderStats() {
    $("stats-body").replaceChildren(...Object.entries(state.stats).map(([key, s]) => {
      const tr = document.createElement("tr");
      for (const value of [nameOf(key), s.kbps_out, s.kbps_in, s.loss_pct, s.rtt_ms, s.fps_out, s.state]) {
        const td = document.createElement("td"); td.textContent = value == null ? "–" : value; tr.append(td);
      }
      return tr;
    }));
  }

  $("raise-hand").addEventListener("click", () => send({ type: "raise_hand" }));
  $("lower-hand").addEventListener("click", () => send({ type: "lower_hand" }));
  $("revoke").addEventListener("click", () => send({ type: "revoke_floor" }));
  $("mute-all").addEventListener("click", () => send({ type: "mute_all" }));
  $("end-hearing").addEventListener("click", () => {
    if (window.confirm(gettext("Kết thúc buổi tiếp? Phòng sẽ đóng với mọi điểm cầu và bản ghi được xử lý."))) {
      send({ type: "end_hearing" });
    }
  });

  // -- Connection statistics for the operator ---------------------------------------------------
  let previous = { at: 0, out: 0, in: 0 };
  async function collectStats() {
    if (state.stage !== "room") return;
    let bytesOut = 0, bytesIn = 0, lost = 0, received = 0, rtt = null, fps = null;
    const pcs = [state.publisher, ...state.subscribers.values()].filter(Boolean);
    for (const pc of pcs) {
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === "outbound-rtp") { bytesOut += s.bytesSent || 0; if (s.kind === "video") fps = s.framesPerSecond || 0; }
        if (s.type === "inbound-rtp") { bytesIn += s.bytesReceived || 0; lost += s.packetsLost || 0; received += s.packetsReceived || 0; }
        if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime != null) rtt = Math.round(s.currentRoundTripTime * 1000);
      });
    }
    const now = performance.now();
    const seconds = (now - previous.at) / 1000;
    const rate = (now_, before) => (previous.at && now_ >= before ? Math.round((now_ - before) * 8 / seconds / 1000) : null);
    const stats = {
      kbps_out: rate(bytesOut, previous.out),
      kbps_in: rate(bytesIn, previous.in),
      loss_pct: received + lost ? Math.round(1000 * lost / (received + lost)) / 10 : 0,
      rtt_ms: rtt, fps_out: fps, state: state.publisher ? state.publisher.connectionState : null,
    };
    previous = { at: now, out: bytesOut, in: bytesIn };
    send({ type: "stats", stats });
  }
  setInterval(() => { collectStats().catch(() => {}); }, 2000);
  connect();
})();
