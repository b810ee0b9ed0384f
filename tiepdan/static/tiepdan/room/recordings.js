// Recordings page: "#t=<seconds>" (links from the timeline and the minutes) seeks the
// combined recording to that moment of the hearing.
(() => {
  const video = document.getElementById("combined");
  if (!video) return;
  const seek = () => {
    const match = /^#t=(\d+)$/.exec(location.hash);
    if (!match) return;
    const go = () => { video.currentTime = Number(match[1]); };
    if (video.readyState >= 1) go(); else video.addEventListener("loadedmetadata", go, { once: true });
  };
  window.addEventListener("hashchange", seek);
  seek();
})();
