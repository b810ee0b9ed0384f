/* The pages' one WebSocket to the app: its address, the messages it receives (checked before a
 * handler sees them), replies awaited by type, when a dropped connection is tried again, and
 * the page's error reports (a "client_error" message the server logs).  No DOM here: the pages
 * show what these decide.
 */

/** Close codes of the server (media/consumers.py, readiness_consumer.py). */
export const CLOSE = Object.freeze({ ended: 4000, refused: 4403 });
/** A page that was in the room rejoins: after 1 s, 2 s, … at most 5 s apart, 31 times. */
export const REJOIN = Object.freeze({ stepMs: 1000, maxDelayMs: 5000, maxRetries: 30 });
/** Error reports kept while the socket cannot take them (before the welcome). */
export const PENDING_REPORTS = 5;

/** The WebSocket address of ``path`` on the page's own server. */
export function socketUrl(location, path) {
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
}

export class BadMessage extends Error {}

/** A server message: a JSON object with a string ``type``; BadMessage otherwise. */
export function parseMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch (err) {
    throw new BadMessage(`not JSON: ${err.message}`);
  }
  if (message === null || typeof message !== "object" || Array.isArray(message) || typeof message.type !== "string") {
    throw new BadMessage("no message type");
  }
  return message;
}

/** After the socket closed with ``code``: the next try ``{ retries, delayMs }``, or null when
 * the page does not rejoin (never joined, a refused link, too many tries). */
export function nextRejoin(joinedBefore, code, retries) {
  if (!joinedBefore || code === CLOSE.refused || retries > REJOIN.maxRetries) return null;
  const next = retries + 1;
  return { retries: next, delayMs: Math.min(REJOIN.stepMs * next, REJOIN.maxDelayMs) };
}

/** Replies awaited by type: ``expect`` resolves with the reply, or with ``onTimeout()``'s
 * rejection when none came in time; ``deliver`` hands a message to its waiter; ``interrupt``
 * hands one (an error) to every waiter. */
export class Waiters {
  constructor() { this.waiting = new Map(); }

  expect(type, timeoutMs, onTimeout) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiting.delete(type); reject(onTimeout(type)); }, timeoutMs);
      this.waiting.set(type, (message) => { clearTimeout(timer); resolve(message); });
    });
  }

  deliver(message) {
    const waiter = this.waiting.get(message.type);
    if (!waiter) return false;
    this.waiting.delete(message.type);
    waiter(message);
    return true;
  }

  interrupt(message) {
    for (const [type, waiter] of this.waiting) { this.waiting.delete(type); waiter(message); }
  }
}

// What the server refuses in a text (core/text.py is_refused): control characters, line
// breaks, bidi controls, lone surrogates, noncharacters.
const BIDI_CONTROLS = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
  0x2066, 0x2067, 0x2068, 0x2069]);
function refused(cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029
    || BIDI_CONTROLS.has(cp) || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0xfdd0 && cp <= 0xfdef)
    || (cp & 0xfffe) === 0xfffe;
}

/** One line of text for the server's log: what the server would refuse becomes a space, at
 * most ``maxChars`` characters. */
export function errorText(err, maxChars) {
  const named = err && typeof err.name === "string" && typeof err.message === "string";
  const text = named ? (err.message ? `${err.name}: ${err.message}` : err.name) : String(err);
  const line = [...text].map((ch) => (refused(ch.codePointAt(0)) ? " " : ch)).join("")
    .replace(/ {2,}/g, " ").trim();
  return [...line].slice(0, maxChars).join("") || "?";
}

/** The "client_error" message reporting ``err`` (``where``: what the page was doing). */
export function errorReport(where, err, maxChars) {
  return { type: "client_error", where: where.slice(0, 60) || "page", message: errorText(err, maxChars) };
}

/** Reports sent when the socket can take them, kept (the last few) until then. */
export class ErrorReports {
  constructor(maxChars, keep = PENDING_REPORTS) {
    this.maxChars = maxChars;
    this.keep = keep;
    this.pending = [];
  }

  /** Report ``err``: sent now through ``send`` when it returns true, kept otherwise. */
  add(where, err, send) {
    const report = errorReport(where, err, this.maxChars);
    if (!send(report)) {
      this.pending.push(report);
      if (this.pending.length > this.keep) this.pending.shift();
    }
    return report;
  }

  /** Send what was kept (the socket is open and the server has welcomed the page). */
  flush(send) {
    while (this.pending.length && send(this.pending[0])) this.pending.shift();
  }
}
