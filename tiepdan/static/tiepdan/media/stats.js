/* What the pages measure of their connections, from RTCPeerConnection.getStats(): the room's
 * statistics for the operator (sent every few seconds; the server judges them) and the readiness
 * test's path measurements (the server decides pass or fail).  Pure: lists of stats objects in,
 * numbers out.
 */

/** The stats objects of ``pc`` as a list. */
export async function statsOf(pc) {
  return [...(await pc.getStats()).values()];
}

// -- The hearing room ---------------------------------------------------------------------------

/** Counters at zero: a new connection counts from here. */
export const NO_COUNTERS = Object.freeze({ at: 0, out: 0, in: 0 });

/** The room's statistics from the stats of every connection of the page (``lists``), against
 * the ``previous`` counters taken at ``previous.at`` (milliseconds, like ``now``).
 * Returns ``{ stats, counters }``: what is sent, and the counters for next time. */
export function roomStats(lists, previous, now, connectionState) {
  let bytesOut = 0, bytesIn = 0, lost = 0, received = 0, rtt = null, fps = null;
  for (const list of lists) {
    for (const s of list) {
      if (s.type === "outbound-rtp") {
        bytesOut += s.bytesSent || 0;
        if (s.kind === "video") fps = s.framesPerSecond || 0;
      }
      if (s.type === "inbound-rtp") {
        bytesIn += s.bytesReceived || 0; lost += s.packetsLost || 0; received += s.packetsReceived || 0;
      }
      if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime != null) {
        rtt = Math.round(s.currentRoundTripTime * 1000);
      }
    }
  }
  const seconds = (now - previous.at) / 1000;
  const rate = (count, before) => (previous.at && count >= before ? Math.round((count - before) * 8 / seconds / 1000) : null);
  const stats = {
    kbps_out: rate(bytesOut, previous.out),
    kbps_in: rate(bytesIn, previous.in),
    loss_pct: received + lost ? Math.round(1000 * lost / (received + lost)) / 10 : 0,
    rtt_ms: rtt, fps_out: fps, state: connectionState ?? null,
  };
  return { stats, counters: { at: now, out: bytesOut, in: bytesIn } };
}

/** What came in on one watched feed: audio and video bytes, decoded video frames. */
export function inbound(list) {
  const entry = { audioBytes: 0, videoBytes: 0, framesDecoded: 0 };
  for (const s of list) {
    if (s.type !== "inbound-rtp") continue;
    if (s.kind === "audio") entry.audioBytes += s.bytesReceived || 0;
    if (s.kind === "video") {
      entry.videoBytes += s.bytesReceived || 0;
      entry.framesDecoded += s.framesDecoded || 0;
    }
  }
  return entry;
}

// -- The readiness test's path --------------------------------------------------------------------

/** The counters of the loop at ``at`` (ms): what came back (``loopList``: the watching
 * connection's stats) and the worst round trip of the nominated pairs of both connections. */
export function pathCounters(loopList, pairLists, at) {
  const out = { bytes: 0, lost: 0, received: 0, jitter: 0, rtt: null, at };
  for (const s of loopList) {
    if (s.type !== "inbound-rtp") continue;
    out.bytes += s.bytesReceived || 0;
    out.lost += Math.max(0, s.packetsLost || 0);
    out.received += s.packetsReceived || 0;
    out.jitter = Math.max(out.jitter, (s.jitter || 0) * 1000);
  }
  for (const list of pairLists) {
    for (const s of list) {
      if (s.type !== "candidate-pair" || s.state !== "succeeded" || !s.nominated) continue;
      const rtt = s.responsesReceived ? s.totalRoundTripTime / s.responsesReceived : s.currentRoundTripTime;
      if (rtt != null) out.rtt = Math.max(out.rtt || 0, rtt * 1000);
    }
  }
  return out;
}

/** The path's measurements between two counters: what the server judges.  Nothing came back:
 * every packet counts as lost. */
export function pathMetrics(start, end) {
  const lost = end.lost - start.lost, received = end.received - start.received;
  return {
    bitrate_kbps: Math.round((end.bytes - start.bytes) * 8 / (end.at - start.at) * 10) / 10,
    loss_pct: received + lost > 0 ? Math.round(1000 * lost / (received + lost)) / 10 : 100,
    jitter_ms: Math.round(end.jitter * 10) / 10,
    rtt_ms: end.rtt == null ? null : Math.round(end.rtt * 10) / 10,
  };
}
