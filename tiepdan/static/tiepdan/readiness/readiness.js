/* Kiểm tra sẵn sàng: the test page of a bridge point (an ES module).
 *
 * Camera (resolution), microphone (level through an AnalyserNode), speakers (a test tone the
 * person confirms), then the path to the media server: a short stream published into the
 * hearing's test room on Janus and watched back through it, measured with getStats().
 * The browser only measures, for as long as the server says (media/rules.py, in the page as
 * JSON); the server decides pass/fail and stores the result.  A failure is shown in plain words
 * and reported to the server's log.
 */
import { advice } from "../media/advice.js";
import { fill, gettext } from "../media/i18n.js";
import { answerOffer, networkMode, publishOffer } from "../media/ice.js";
import { ErrorReports, parseMessage, socketUrl, Waiters } from "../media/socket.js";
import { pathCounters, pathMetrics, statsOf } from "../media/stats.js";

const app = document.getElementById("readiness-app");
const limits = JSON.parse(document.getElementById("readiness-limits").textContent);
const $ = (id) => document.getElementById(id);
// A failure we explain ourselves: its message is advice, not a technical detail.
class Explained extends Error {}
const token = app.dataset.token || null;
const REPLY_MS = limits.reply_timeout_seconds * 1000;

const state = { metrics: null, result: null, errors: [], ws: null, publisher: null, loop: null, failures: [] };
// What the tests read.
window.tiepdanReadiness = state;
window.tiepdanAdvice = advice;
// Opening localStorage itself may throw (storage blocked): no choice is kept then.
const storage = (() => { try { return window.localStorage; } catch (err) { return null; } })();
const network = window.tiepdanNetwork = networkMode(new URLSearchParams(location.search), storage);

const status = (text) => { $("status").textContent = text; };
const showError = (text) => { const el = $("error"); el.textContent = text; el.hidden = false; };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function outcome(check, ok, text) {
  const el = $(check).querySelector(".outcome");
  el.textContent = text; el.className = "outcome " + (ok ? "ok" : "fail");
}

// -- Signalling: one WebSocket to the app, replies awaited by type ----------------------------
const waiters = new Waiters();
const expect = (type) => waiters.expect(type, REPLY_MS,
  () => new Explained(type === "welcome" || type === "result" ? advice.server : advice.path));
let welcomed = false;
const isOpen = () => state.ws !== null && state.ws.readyState === WebSocket.OPEN;
const send = (message) => {
  if (!isOpen()) throw new Explained(advice.server);  // the connection dropped
  state.ws.send(JSON.stringify(message));
};
// Error reports go to the server once it has welcomed this page (before, it would refuse them).
const reports = new ErrorReports(limits.error_text_chars);
const sendReport = (message) => {
  if (!welcomed || !isOpen()) return false;
  state.ws.send(JSON.stringify(message));
  return true;
};
const report = (where, err) => { console.error(err); state.failures.push(where); reports.add(where, err, sendReport); };
window.addEventListener("error", (event) => reports.add("script", event.error || event.message, sendReport));
window.addEventListener("unhandledrejection", (event) => reports.add("script", event.reason, sendReport));

function connect() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(location, app.dataset.ws));
    state.ws = ws;
    ws.addEventListener("message", (event) => {
      let message;
      try {
        message = parseMessage(event.data);
      } catch (err) {
        report("message", err);
        return;
      }
      if (message.type === "error") {
        state.errors.push(message);
        showError(message.message || message.code);
        waiters.interrupt(message);
        return;
      }
      if (message.type === "welcome") { welcomed = true; reports.flush(sendReport); }
      waiters.deliver(message);
    });
    ws.addEventListener("open", () => {
      expect("welcome").then((m) => (m.type === "welcome" ? resolve(m) : reject(new Explained(m.message || advice.server)))).catch(reject);
      send(token ? { type: "hello", token } : { type: "hello" });
    });
    ws.addEventListener("error", () => reject(new Explained(advice.server)));
    ws.addEventListener("close", () => { welcomed = false; reject(new Explained(advice.server)); });
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
    report("device", err);
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
  const until = performance.now() + limits.microphone_seconds * 1000;
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
// ICE servers (TURN credentials of this session) and the relay-only mode: media/ice.js.
const peer = () => new RTCPeerConnection(network.rtcConfig(state.welcome && state.welcome.ice_servers));
const relayBox = $("relay-only");
if (relayBox) {
  relayBox.checked = network.relayOnly();
  relayBox.addEventListener("change", () => { network.setRelayOnly(relayBox.checked); });
}

async function counters() {
  return pathCounters(await statsOf(state.loop), [await statsOf(state.publisher), await statsOf(state.loop)], performance.now());
}

async function measurePath(stream, metrics) {
  status(gettext("Đang kiểm tra đường truyền đến máy chủ…"));
  const publisher = state.publisher = peer();
  const offerSdp = await publishOffer(publisher, stream);
  const answerWait = expect("answer");
  send({ type: "publish", sdp: offerSdp });
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
  send({ type: "answer", sdp: await answerOffer(loop, offer.sdp) });

  // Count from the first bytes that came back; the setup time is not the path's bitrate.
  const deadline = performance.now() + REPLY_MS;
  let start = await counters();
  while (start.bytes === 0) {
    if (performance.now() > deadline) return false;
    await sleep(200);
    start = await counters();
  }
  const seconds = limits.measure_seconds;
  for (let second = 1; second <= seconds; second++) {
    await sleep(1000);
    $("path-progress").value = Math.round(100 * second / seconds);
  }
  const end = await counters();
  state.counters = { start, end };  // raw, for a look in the console
  Object.assign(metrics, pathMetrics(start, end));
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
      // An ICE or network failure: the path is simply not measured; the advice says why and
      // the server's log gets the detail.
      const measured = await measurePath(stream, metrics).catch((err) => { report("path", err); return false; });
      outcome("check-path", measured, measured
        ? fill(gettext("%(kbps)s kbps, trễ %(rtt)s ms"), { kbps: metrics.bitrate_kbps, rtt: metrics.rtt_ms })
        : advice.path);
    }
    hangUp(stream); stream = null;
    const resultWait = expect("result");
    send({ type: "result", metrics });
    show(await resultWait);
  } catch (err) {
    if (!(err instanceof Explained)) report("test", err);  // for the technician
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
