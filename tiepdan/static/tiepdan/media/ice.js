/* ICE for both pages: the configuration of every RTCPeerConnection, the "relay only" network
 * mode, and offers and answers sent once candidate gathering is complete (no trickle needed
 * from the browser: Janus needs no more).
 *
 * The app sends the ICE servers (coturn, with credentials valid for this session only) in each
 * "welcome".  "Relay only" sends all media through that TURN server (iceTransportPolicy
 * "relay"): for office networks whose firewall blocks direct UDP to the media server.  It is
 * chosen on the readiness page (kept in this browser) or with ?relay=1 on a link (?relay=0
 * turns it off), and only applies when the deployment has a TURN server.
 */

export const RELAY_KEY = "tiepdan.relayOnly";
/** Enough candidates by then; Janus needs no more. */
export const GATHER_TIMEOUT_MS = 3000;

/** Whether this browser sends media through the relay only: the link's ?relay= first, then
 * what was kept.  ``storage`` may be missing or refuse access (private mode): not kept. */
export function relayOnly(params, storage) {
  if (params.has("relay")) return params.get("relay") === "1";
  try {
    return storage ? storage.getItem(RELAY_KEY) === "1" : false;
  } catch (err) {
    return false;  // storage refused (private mode): nothing was kept
  }
}

/** Keep the choice in ``storage``; false when the browser refuses to keep it. */
export function keepRelayOnly(storage, on) {
  if (!storage) return false;
  try {
    storage.setItem(RELAY_KEY, on ? "1" : "0");
    return true;
  } catch (err) {
    return false;  // private mode: the choice holds for this page only
  }
}

/** The configuration of an RTCPeerConnection. */
export function rtcConfig(iceServers, relay) {
  const config = { iceServers: iceServers || [] };
  if (config.iceServers.length && relay) config.iceTransportPolicy = "relay";
  return config;
}

/** The page's network mode (``window.tiepdanNetwork``): a link's ?relay= is kept first. */
export function networkMode(params, storage) {
  if (params.has("relay")) keepRelayOnly(storage, params.get("relay") === "1");
  return {
    relayOnly: () => relayOnly(params, storage),
    setRelayOnly: (on) => keepRelayOnly(storage, on),
    rtcConfig: (iceServers) => rtcConfig(iceServers, relayOnly(params, storage)),
  };
}

/** Resolves when ``pc`` has gathered its candidates, or after ``timeoutMs``. */
export function gathered(pc, timeoutMs = GATHER_TIMEOUT_MS) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, timeoutMs);
    function finish() {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", changed);
      resolve();
    }
    function changed() { if (pc.iceGatheringState === "complete") finish(); }
    pc.addEventListener("icegatheringstatechange", changed);
  });
}

/** The offer to publish ``stream`` from ``pc`` (audio first: its mid is "0", the one the server
 * mutes), once gathered. */
export async function publishOffer(pc, stream) {
  for (const track of stream.getAudioTracks()) pc.addTransceiver(track, { direction: "sendonly" });
  for (const track of stream.getVideoTracks()) pc.addTransceiver(track, { direction: "sendonly" });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return pc.localDescription.sdp;
}

/** The answer of ``pc`` to the server's offer ``sdp`` (a feed to watch), once gathered. */
export async function answerOffer(pc, sdp) {
  await pc.setRemoteDescription({ type: "offer", sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  return pc.localDescription.sdp;
}
