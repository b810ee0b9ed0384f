/* The network mode of this browser, shared by the readiness page and the hearing room.
 *
 * The app sends the ICE servers (coturn, with credentials valid for this session only) in each
 * "welcome".  "Relay only" sends all media through that TURN server (iceTransportPolicy
 * "relay"): for office networks whose firewall blocks direct UDP to the media server.  It is
 * chosen on the readiness page (kept in this browser) or with ?relay=1 on a link (?relay=0
 * turns it off), and only applies when the deployment has a TURN server.
 */
(function () {
  "use strict";
  const KEY = "tiepdan.relayOnly";
  const params = new URLSearchParams(location.search);
  const store = (on) => { try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (err) { /* private mode */ } };
  if (params.has("relay")) store(params.get("relay") === "1");
  function relayOnly() {
    if (params.has("relay")) return params.get("relay") === "1";
    try { return localStorage.getItem(KEY) === "1"; } catch (err) { return false; }
  }
  // The configuration of every RTCPeerConnection the page opens.
  function rtcConfig(iceServers) {
    const config = { iceServers: iceServers || [] };
    if (config.iceServers.length && relayOnly()) config.iceTransportPolicy = "relay";
    return config;
  }
  window.tiepdanNetwork = { relayOnly, setRelayOnly: store, rtcConfig };
})();
