// The pages' socket: message parsing, when a dropped page rejoins, replies awaited by type,
// and the error reports sent to the server's log (static/tiepdan/media/socket.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  BadMessage, CLOSE, ErrorReports, errorReport, errorText, nextRejoin, parseMessage, REJOIN,
  socketUrl, Waiters,
} from "../../tiepdan/static/tiepdan/media/socket.js";

test("the socket is on the page's own server, secure when the page is", () => {
  assert.equal(socketUrl({ protocol: "https:", host: "xa.example.vn" }, "/ws/phong-tiep/3/"),
    "wss://xa.example.vn/ws/phong-tiep/3/");
  assert.equal(socketUrl({ protocol: "http:", host: "127.0.0.1:8000" }, "/ws/kiem-tra/3/"),
    "ws://127.0.0.1:8000/ws/kiem-tra/3/");
});

test("a server message is an object with a type", () => {
  assert.deepEqual(parseMessage('{"type": "welcome", "key": "p1"}'), { type: "welcome", key: "p1" });
  for (const text of ["not json {", "[1, 2]", "null", '"welcome"', '{"kind": "welcome"}', '{"type": 5}']) {
    assert.throws(() => parseMessage(text), BadMessage, text);
  }
});

test("a page that was in the room rejoins with a growing delay, at most 5 s apart", () => {
  const delays = [];
  let retries = 0;
  for (let rejoin = nextRejoin(true, 1006, retries); rejoin; rejoin = nextRejoin(true, 1006, retries)) {
    delays.push(rejoin.delayMs);
    retries = rejoin.retries;
  }
  assert.deepEqual(delays.slice(0, 6), [1000, 2000, 3000, 4000, 5000, 5000]);
  assert.equal(delays.length, REJOIN.maxRetries + 1);
  assert.equal(Math.max(...delays), REJOIN.maxDelayMs);
});

test("a page never joined, or refused, does not rejoin", () => {
  assert.equal(nextRejoin(false, 1006, 0), null);
  assert.equal(nextRejoin(true, CLOSE.refused, 0), null);
  assert.deepEqual(nextRejoin(true, 4503, 0), { retries: 1, delayMs: 1000 });  // Janus lost
});

test("a reply is delivered to its waiter, once", async () => {
  const waiters = new Waiters();
  const answer = waiters.expect("answer", 1000, () => new Error("late"));
  assert.equal(waiters.deliver({ type: "offer" }), false);
  assert.equal(waiters.deliver({ type: "answer", sdp: "v=0" }), true);
  assert.deepEqual(await answer, { type: "answer", sdp: "v=0" });
  assert.equal(waiters.deliver({ type: "answer" }), false);
});

test("a reply that does not come in time rejects with the page's explanation", async () => {
  const waiters = new Waiters();
  await assert.rejects(waiters.expect("result", 10, (type) => new Error(`no ${type}`)), /no result/);
  assert.equal(waiters.waiting.size, 0);
});

test("an error from the server ends every wait", async () => {
  const waiters = new Waiters();
  const both = [waiters.expect("answer", 1000, Error), waiters.expect("offer", 1000, Error)];
  waiters.interrupt({ type: "error", code: "media_server" });
  assert.deepEqual((await Promise.all(both)).map((m) => m.code), ["media_server", "media_server"]);
});

test("an error report is one line the server accepts", () => {
  const err = new TypeError("Failed to set remote answer sdp:\nCalled in wrong state\u202e");
  assert.equal(errorText(err, 500), "TypeError: Failed to set remote answer sdp: Called in wrong state");
  assert.equal(errorText({ name: "NotFoundError", message: "" }, 500), "NotFoundError");
  assert.equal(errorText("x".repeat(900), 500).length, 500);
  assert.equal(errorText("\u0000\n", 500), "?");
  assert.equal(errorText("mất \ud800hình", 500), "mất hình");  // a lone surrogate is refused
  assert.deepEqual(errorReport("publish", new Error("ICE failed"), 500),
    { type: "client_error", where: "publish", message: "Error: ICE failed" });
});

test("reports wait for the socket, the last few kept", () => {
  const sent = [];
  const reports = new ErrorReports(100, 2);
  const closed = () => false;
  for (const n of [1, 2, 3]) reports.add("device", new Error(`failure ${n}`), closed);
  reports.flush((report) => { sent.push(report.message); return true; });
  assert.deepEqual(sent, ["Error: failure 2", "Error: failure 3"]);
  reports.add("stats", "now", (report) => { sent.push(report.message); return true; });
  assert.deepEqual(sent.at(-1), "now");
  assert.equal(reports.pending.length, 0);
});
