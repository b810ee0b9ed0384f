"""Janus inside scripts/netns-run: the network the ICE tests (and, later, browsers) use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import REPO

NETNS_RUN = REPO / "scripts" / "netns-run"

# Runs inside the namespace: report v0's address, what a Janus started there answers, and the
# SDP answer it gives a publisher (a minimal hand-written audio offer: no browser needed to see
# which address Janus gathers its ICE candidates on).
INSIDE = """
import asyncio, json, subprocess, tempfile
from pathlib import Path
from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.janus_config import JanusSettings
from tiepdan.media.janus_process import JanusProcess, server_info

OFFER = "\\r\\n".join([
    "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd",
    "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=fingerprint:sha-256 " + ":".join(["AB"] * 32),
    "a=setup:actpass", "a=mid:0", "a=sendonly", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
    "a=ssrc:1111 cname:test", ""])

async def publish(settings):
    async with JanusSession(settings.api_url, settings.api_secret) as session:
        room = VideoRoom(await session.attach(), settings.room_admin_key)
        await room.create_room(1, "secret", "netns", publishers=2, record=False)
        handle = await session.attach()
        await handle.send({"request": "join", "ptype": "publisher", "room": 1})
        reply = await handle.send({"request": "publish"}, jsep={"type": "offer", "sdp": OFFER})
        return reply.jsep["sdp"]

v0 = subprocess.run(["ip", "-4", "-o", "addr", "show", "v0"], capture_output=True, text=True)
with tempfile.TemporaryDirectory() as tmp:
    settings = JanusSettings(conf_dir=Path(tmp, "conf"), rec_dir=Path(tmp, "rec"),
                             admin_secret="a", api_secret="b", room_admin_key="k",
                             ice_enforce_list="v0", log_file=Path(tmp, "janus.log"))
    with JanusProcess(settings) as janus:
        info = server_info(settings)
        answer = asyncio.run(publish(settings))
print(json.dumps({"v0": v0.stdout, "info": info, "answer": answer}))
"""


def test_janus_starts_in_the_private_network_with_ice_on_v0(janus_installed):
    if os.geteuid() != 0:
        pytest.skip("scripts/netns-run needs root (unshare -n)")
    done = subprocess.run([str(NETNS_RUN), sys.executable, "-c", INSIDE], cwd=REPO,  # noqa: S603
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0 and "unshare" in done.stderr and "not permitted" in done.stderr:
        pytest.skip(f"no network namespaces here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert "inet 127.0.0.5/32" in result["v0"]
    assert result["info"]["plugins"].keys() == {"janus.plugin.videoroom"}
    # libnice skips loopback interfaces: Janus must offer a host candidate on v0.
    candidates = [line for line in result["answer"].splitlines()
                  if line.startswith("a=candidate:")]
    assert candidates and all(" 127.0.0.5 " in line for line in candidates), candidates
