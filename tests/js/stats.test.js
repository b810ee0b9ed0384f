// What the pages measure from getStats() (static/tiepdan/media/stats.js): the room's statistics
// for the operator and the readiness test's path measurements.
import assert from "node:assert/strict";
import { test } from "node:test";

import { inbound, NO_COUNTERS, pathCounters, pathMetrics, roomStats } from "../../tiepdan/static/tiepdan/media/stats.js";

const publisher = (bytesSent, rtt) => [
  { type: "outbound-rtp", kind: "audio", bytesSent: bytesSent / 10 },
  { type: "outbound-rtp", kind: "video", bytesSent, framesPerSecond: 20 },
  { type: "candidate-pair", nominated: true, currentRoundTripTime: rtt },
  { type: "candidate-pair", nominated: false, currentRoundTripTime: 9 },
];
const watched = (bytesReceived, packetsReceived, packetsLost) => [
  { type: "inbound-rtp", kind: "video", bytesReceived, packetsReceived, packetsLost },
];

test("the first round has no rates yet, only loss, delay and frames", () => {
  const { stats, counters } = roomStats([publisher(10_000, 0.0421), watched(5000, 99, 1)], NO_COUNTERS, 2000, "connected");
  assert.deepEqual(stats, { kbps_out: null, kbps_in: null, loss_pct: 1, rtt_ms: 42, fps_out: 20, state: "connected" });
  assert.deepEqual(counters, { at: 2000, out: 11_000, in: 5000 });
});

test("rates are counted between two rounds", () => {
  const first = roomStats([publisher(10_000, 0.04)], NO_COUNTERS, 1000, "connected").counters;
  const { stats } = roomStats([publisher(110_000, 0.04), watched(25_000, 10, 0)], first, 3000, "connected");
  assert.equal(stats.kbps_out, 440);  // (121 000 - 11 000) bytes * 8 / 2 s
  assert.equal(stats.kbps_in, 100);
});

test("a counter that went back (a new connection) gives no rate", () => {
  const before = { at: 1000, out: 50_000, in: 0 };
  assert.equal(roomStats([publisher(1000, 0.01)], before, 3000, null).stats.kbps_out, null);
});

test("nothing received is no loss; a page watching nothing has no frames", () => {
  const { stats } = roomStats([], NO_COUNTERS, 1000, undefined);
  assert.deepEqual(stats, { kbps_out: null, kbps_in: null, loss_pct: 0, rtt_ms: null, fps_out: null, state: null });
});

test("what came in on a watched feed, by kind", () => {
  assert.deepEqual(inbound([
    { type: "inbound-rtp", kind: "audio", bytesReceived: 300 },
    { type: "inbound-rtp", kind: "video", bytesReceived: 9000, framesDecoded: 40 },
    { type: "outbound-rtp", kind: "video", bytesSent: 5 },
  ]), { audioBytes: 300, videoBytes: 9000, framesDecoded: 40 });
});

test("the path is measured between the first bytes back and the end", () => {
  const pair = (total, responses) => [{ type: "candidate-pair", state: "succeeded", nominated: true, totalRoundTripTime: total, responsesReceived: responses }];
  const loop = (bytes, received, lost, jitter) => [{ type: "inbound-rtp", bytesReceived: bytes, packetsReceived: received, packetsLost: lost, jitter }];
  const start = pathCounters(loop(1000, 10, 0, 0.002), [pair(0.2, 10)], 1000);
  const end = pathCounters(loop(801_000, 1010, 10, 0.0123), [pair(0.5, 10), pair(0.9, 10)], 9000);
  assert.equal(end.rtt, 90);  // the worse of both connections' average round trips
  assert.deepEqual(pathMetrics(start, end), { bitrate_kbps: 800, loss_pct: 1, jitter_ms: 12.3, rtt_ms: 90 });
});

test("a path where nothing came back is all loss and no round trip", () => {
  const none = pathCounters([], [[{ type: "candidate-pair", state: "failed", nominated: true, currentRoundTripTime: 1 }]], 0);
  const later = { ...none, at: 8000 };
  assert.deepEqual(pathMetrics(none, later), { bitrate_kbps: 0, loss_pct: 100, jitter_ms: 0, rtt_ms: null });
});
