// The words and network mode of the room and readiness pages (static/tiepdan/media/alerts.js,
// advice.js, ice.js): alerts said with the limits the server gave, advice by the browser's
// error name, the relay-only mode.
import assert from "node:assert/strict";
import { test } from "node:test";

import { deviceAdvice, pathAdvice, serverAdvice } from "../../tiepdan/static/tiepdan/media/advice.js";
import { alertReason, isWarning, timeLeft } from "../../tiepdan/static/tiepdan/media/alerts.js";
import { networkMode, relayOnly, RELAY_KEY, rtcConfig } from "../../tiepdan/static/tiepdan/media/ice.js";

const LIMITS = { video_freeze_seconds: 12 };

test("a frozen picture is said with the server's limit", () => {
  assert.equal(alertReason({ reason: "video_stopped" }, LIMITS), "mất hình quá 12 giây");
});

test("a poor network is said with what was measured, or a question mark", () => {
  assert.equal(alertReason({ reason: "poor_network", loss_pct: 7.5, rtt_ms: 640 }, LIMITS),
    "đường truyền kém (mất gói 7.5%, trễ 640 ms)");
  assert.equal(alertReason({ reason: "poor_network", loss_pct: null }, LIMITS),
    "đường truyền kém (mất gói ?%, trễ ? ms)");
});

test("a recovery is no warning; an unknown reason is shown as it came", () => {
  assert.equal(isWarning({ reason: "network_recovered" }), false);
  assert.equal(isWarning({ reason: "recording_stopped" }), true);
  assert.equal(alertReason({ reason: "something_new" }, LIMITS), "something_new");
});

test("the page's catalogue translates when the page has one", () => {
  globalThis.gettext = (text) => (text === "đường truyền đã ổn định lại" ? "the network is stable again" : text);
  try {
    assert.equal(alertReason({ reason: "network_recovered" }, LIMITS), "the network is stable again");
  } finally {
    delete globalThis.gettext;
  }
});

test("the floor's time left as m:ss, never below zero", () => {
  assert.equal(timeLeft(null, 0), null);
  assert.equal(timeLeft(95_400, 0), "1:35");
  assert.equal(timeLeft(1000, 5000), "0:00");
});

test("device advice goes by the error's name, never shows it", () => {
  assert.match(deviceAdvice({ name: "NotAllowedError" }), /chưa được phép dùng camera/);
  assert.equal(deviceAdvice({ name: "AbortError" }), deviceAdvice({ name: "NotReadableError" }));
  for (const err of [{ name: "SomethingNew" }, { name: "toString" }, null]) {
    assert.match(deviceAdvice(err), /^Không mở được camera hoặc micro/);
  }
  assert.match(serverAdvice(), /^Không kết nối được với máy chủ/);
  assert.match(pathAdvice(), /^Hình ảnh và âm thanh không đi được/);
});

class Storage {  // the Web Storage interface, as node has none
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
}

test("relay only applies only with a TURN server", () => {
  const turn = [{ urls: "turn:turn.example.vn:3478" }];
  assert.deepEqual(rtcConfig(turn, true), { iceServers: turn, iceTransportPolicy: "relay" });
  assert.deepEqual(rtcConfig([], true), { iceServers: [] });
  assert.deepEqual(rtcConfig(undefined, false), { iceServers: [] });
});

test("a link's ?relay= is kept in this browser; without one, what was kept", () => {
  const storage = new Storage();
  const mode = networkMode(new URLSearchParams("?relay=1"), storage);
  assert.equal(storage.getItem(RELAY_KEY), "1");
  assert.equal(mode.rtcConfig([{ urls: "turn:x" }]).iceTransportPolicy, "relay");
  assert.equal(relayOnly(new URLSearchParams(""), storage), true);
  assert.equal(relayOnly(new URLSearchParams("?relay=0"), storage), false);
  mode.setRelayOnly(false);
  assert.equal(relayOnly(new URLSearchParams(""), storage), false);
});

test("a browser that refuses storage (private mode) is not relay-only", () => {
  const refusing = { getItem() { throw new Error("SecurityError"); }, setItem() { throw new Error("QuotaExceededError"); } };
  const mode = networkMode(new URLSearchParams(""), refusing);
  assert.equal(mode.relayOnly(), false);
  assert.equal(mode.setRelayOnly(true), false);
  assert.equal(networkMode(new URLSearchParams(""), null).relayOnly(), false);
});
