/* Phòng tiếp trực tuyến: the browser side of the hearing room (an ES module).
 *
 * Speaks only to the app (one WebSocket); the app relays SDP to and from Janus, enforces every
 * permission and judges every measurement.  Plain RTCPeerConnection: one for what we publish,
 * one per feed we watch.  The limits the page shows come from the server (media/rules.py, in
 * the page as JSON); a failure is shown in plain words and reported to the server's log.
 */
import { advice } from "../media/advice.js";
import { alertReason, isWarning, timeLeft } from "../media/alerts.js";
import { fill, gettext } from "../media/i18n.js";
import { answerOffer, networkMode, publishOffer } from "../media/ice.js";
import { ErrorReports, nextRejoin, parseMessage, socketUrl } from "../media/socket.js";
import { inbound, NO_COUNTERS, roomStats, statsOf } from "../media/stats.js";

const app = document.getElementById("room-app");
const limits = JSON.parse(document.getElementById("room-limits").textContent);
const role = app.dataset.role;
const token = app.dataset.token || null;
const $ = (id) => document.getElementById(id);
const STEPS = { rules: "step-rules", device_check: "step-device", lobby: "step-lobby", room: "step-room" };
// Opening localStorage itself may throw (storage blocked): no choice is kept then.
const storage = (() => { try { return window.localStorage; } catch (err) { return null; } })();

const state = {
  key: null, stage: null, myFeed: null, participants: [], floor: null, queue: [],
  localStream: null, publisher: null, subscribers: new Map(), errors: [], stats: {}, ended: null,
  alerts: [], admitted: false, welcome: null, floorEnds: null, failures: [],
};
// What the tests and the media benchmark read and drive.
window.tiepdanRoom = state;
window.tiepdanAdvice = advice;
window.tiepdanNetwork = networkMode(new URLSearchParams(location.search), storage);

// Per watched feed: inbound audio bytes, decoded video frames and the shown width (the
// operator's checks; tests and the media benchmark read it too).
state.inboundVideo = async () => {
  const out = {};
  for (const [feed, pc] of state.subscribers) {
    if (!pc) continue;
    out[feed] = inbound(await statsOf(pc));
    const video = document.querySelector(`.tile[data-feed="${feed}"] video`);
    out[feed].width = video ? video.videoWidth : 0;
  }
  return out;
};

const send = (message) => {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN) return false;
  state.ws.send(JSON.stringify(message));
  return true;
};
state.send = send;
// Error reports go to the server once it has welcomed this page (before, it would refuse them).
const reports = new ErrorReports(limits.error_text_chars);
let welcomed = false;
const sendReport = (report) => welcomed && send(report);
// Rules read and devices checked once are not asked again when the connection comes back.
let joinedBefore = false, rulesDone = false, deviceDone = false, retries = 0;
let previous = NO_COUNTERS;

function status(text) { $("room-status").textContent = text; }
function showError(text) { const el = $("room-error"); el.textContent = text; el.hidden = false; }

/** A failure of this page: explained on the page, its detail in the console and the server's
 * log. */
function fail(where, err, explanation = advice.path) {
  console.error(err);
  state.failures.push(where);
  showError(explanation);
  reports.add(where, err, sendReport);
}
window.addEventListener("error", (event) => reports.add("script", event.error || event.message, sendReport));
window.addEventListener("unhandledrejection", (event) => reports.add("script", event.reason, sendReport));

function showStep(stage) {
  state.stage = stage;
  for (const [name, id] of Object.entries(STEPS)) $(id).hidden = name !== stage;
  if (stage === "device_check") startDeviceCheck().catch((err) => fail("device", err, advice.device(err)));
  if (stage === "room") enterRoom().catch((err) => fail("publish", err));
  status({ rules: gettext("Vui lòng đọc nội quy."), device_check: gettext("Kiểm tra thiết bị."),
           lobby: gettext("Đang chờ cho vào phòng."), room: gettext("Đang trong phòng tiếp.") }[stage] || "");
}

function connect() {
  const ws = new WebSocket(socketUrl(location, app.dataset.ws));
  state.ws = ws;
  ws.addEventListener("open", () => { send(token ? { type: "hello", token } : { type: "hello" }); });
  ws.addEventListener("close", (event) => {
    welcomed = false;
    dropMedia();
    // A page that was in the room rejoins by itself (network drop, server restart); a
    // refused link or a second device does not.
    if (state.ended) { status(state.ended); return; }  // the hearing is over (code 4000)
    const rejoin = nextRejoin(joinedBefore, event.code, retries);
    if (rejoin === null) { status(gettext("Mất kết nối với máy chủ.")); return; }
    retries = rejoin.retries;
    status(gettext("Mất kết nối, đang kết nối lại…"));
    setTimeout(connect, rejoin.delayMs);
  });
  ws.addEventListener("message", (event) => {
    let message;
    try {
      message = parseMessage(event.data);
    } catch (err) {
      reports.add("message", err, sendReport);
      return;
    }
    const handler = handlers[message.type];
    // A media failure (SDP, ICE) is explained in plain words; its detail goes to the log.
    if (handler) handler(message).catch((err) => fail(message.type, err));
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
  previous = NO_COUNTERS;  // new connections count from zero
}

const handlers = {
  async welcome(m) {
    state.welcome = m; state.key = m.key; joinedBefore = true; retries = 0; welcomed = true;
    $("room-error").hidden = true;
    $("network-mode").hidden = window.tiepdanNetwork.rtcConfig(m.ice_servers).iceTransportPolicy !== "relay";
    if (rulesDone) send({ type: "rules_accepted" }); else showStep(m.stage);
    reports.flush(sendReport);
  },
  async stage(m) {
    if (m.stage === "device_check" && deviceDone) { send({ type: "device_check_ok" }); return; }
    showStep(m.stage);
  },
  async ended(m) {
    state.ended = m.message; dropMedia(); status(m.message);
    for (const id of Object.values(STEPS)) $(id).hidden = true;
  },
  async admitted() { state.admitted = true; if (state.stage !== "room") showStep("room"); },
  // The server's message is in this page's language already.
  async error(m) { state.errors.push(m); showError(m.message || m.code); },
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
  async alert(m) {
    state.alerts.push(m);
    const li = document.createElement("li");
    li.textContent = `${m.name}: ${alertReason(m, limits)}`;
    if (isWarning(m)) li.className = "alert";
    $("alerts").append(li);
  },
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
    $("device-result").textContent = advice.device(err);
    reports.add("device", err, sendReport);
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
// ICE servers (TURN credentials of this session) and the relay-only mode: media/ice.js.
const peer = () => new RTCPeerConnection(window.tiepdanNetwork.rtcConfig(state.welcome && state.welcome.ice_servers));

async function enterRoom() {
  if (role === "chair") $("chair-panel").hidden = false;
  if (role === "operator") $("operator-panel").hidden = false;
  $("raise-hand").hidden = role !== "participant";
  if (state.publisher || !state.localStream) { syncFeeds(); return; }
  const pc = peer();
  state.publisher = pc;
  send({ type: "publish", sdp: await publishOffer(pc, state.localStream) });
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
  send({ type: "answer", feed, sdp: await answerOffer(pc, sdp) });
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
  if (role === "participant") {
    $("raise-hand").hidden = !!(me && me.hand); $("lower-hand").hidden = !(me && me.hand);
    $("mic-state").hidden = state.floor === state.key; $("mic-live").hidden = state.floor !== state.key;
  }
  if (role === "chair") renderChair();
  if (role === "operator") renderLobby();
}

// The speaker's time budget, counted down here (the server ends it, whatever this shows).
function renderTimeLeft() {
  const el = $("floor-time");
  const clock = timeLeft(state.floorEnds, performance.now());
  el.hidden = clock === null;
  if (clock !== null) el.textContent = fill(gettext("Thời gian phát biểu còn lại: %(time)s"), { time: clock });
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

// -- Connection statistics for the operator (the server judges them) --------------------------
async function collectStats() {
  if (state.stage !== "room") return;
  const pcs = [state.publisher, ...state.subscribers.values()].filter(Boolean);
  const lists = [];
  for (const pc of pcs) lists.push(await statsOf(pc));
  const measured = roomStats(lists, previous, performance.now(), state.publisher ? state.publisher.connectionState : null);
  previous = measured.counters;
  send({ type: "stats", stats: measured.stats });
}
// A connection closed meanwhile: this round is lost, the next one counts again.
setInterval(() => { collectStats().catch((err) => reports.add("stats", err, sendReport)); }, limits.stats_every_seconds * 1000);
connect();
