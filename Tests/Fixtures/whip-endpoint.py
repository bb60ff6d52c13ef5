"""A WHIP endpoint (RFC 9725) on aiortc for tests: accepts one or more sessions, records the
media of each (video re-encoded to H.264 and Opus audio decoded to PCM, in MKV) and writes a
JSON report per session when it ends.

Usage: whip-endpoint.py PORT OUT_DIR [--token T] [--fail-first STATUS[:RETRY_AFTER]]
                        [--candidate-port P] [--lossy FRACTION] [--no-record] [--pli-at N] [--stun-maps-to IP]
--stun-maps-to IP: also run a STUN server on 127.0.0.1 that answers every Binding request with
IP as the mapped address (a NAT, seen from inside), name it and a TURN server in `Link:
rel="ice-server"` headers, and take trickled candidates (PATCH); the report lists them.
--pli-at: after the Nth decoded video frame, send the sender an RTCP PLI (picture loss); the
report lists which frames were keyframes ("key_frames"), so a test sees the IDR that answers it.
--no-record: decode but keep nothing (for `anchor bench live --whip`); each decoded video frame's
RTP timestamp and wall-clock time go to OUT_DIR/frames-N.txt ("pts unix_seconds" a line).
--candidate-port: the answer names this port instead of aiortc's, and aiortc is told the same
port for the sender's candidates (so it cannot reach the sender either, as an ICE-lite server
never checks): with a closed port, ICE must fail.
--lossy: the answer names a UDP relay that drops this fraction of the RTP media sent to us
(STUN, DTLS, RTCP and retransmissions pass), so the sender's NACK retransmissions are exercised.
Writes OUT_DIR/ready once listening; OUT_DIR/session-N.json per session:
  video_frames, width, height, audio_frames, audio_rms, first/last frame times, connected_after,
  ended (delete | closed | failed), posts, deletes.
Facts that make aiortc work on loopback are in docs/NOTES.md ("WebRTC")."""
import argparse
import asyncio
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # C speed for the audio level (deprecated in 3.11, present until 3.13)
import ipaddress
import json
import math
import os
import queue
import random
import re
import socket
import struct
import threading
import time
from fractions import Fraction

import aioice.ice
import av
from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

# aioice leaves out 127.0.0.1 when gathering host candidates.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("out")
parser.add_argument("--token")
parser.add_argument("--fail-first", help="answer the first POST with this status (e.g. 503:1)")
parser.add_argument("--candidate-port", type=int)
parser.add_argument("--lossy", type=float)
parser.add_argument("--no-record", action="store_true")
parser.add_argument("--pli-at", type=int)
parser.add_argument("--stun-maps-to")
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)

state = {"sessions": 0, "posts": 0, "deletes": 0, "failed_first": False, "relayed": 0, "dropped": 0}


class LossyRelay(asyncio.DatagramProtocol):
    """Forwards between the sender and aiortc's port, dropping a fraction of the sender's RTP.
    Only first transmissions are dropped: aiortc NACKs a missing packet once and never asks for a
    keyframe, so a lost retransmission would cost the frames up to the next keyframe whatever the
    sender does (and the test would depend on how the machine's load orders the packets)."""

    def __init__(self, target_port):
        self.target = ("127.0.0.1", target_port)
        self.sender = None
        self.random = random.Random(7)
        self.seen = set()

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if addr == self.target:
            if self.sender is not None:
                self.transport.sendto(data, self.sender)
            return
        self.sender = addr
        is_rtp = 128 <= data[0] <= 191 and not 192 <= data[1] <= 223
        # SRTP leaves the header in clear: SSRC and sequence number name a packet and its resend.
        key = data[8:12] + data[2:4] if is_rtp and len(data) >= 12 else None
        resend = key in self.seen
        if key is not None:
            self.seen.add(key)
        if is_rtp and not resend and self.random.random() < args.lossy:
            state["dropped"] += 1
            return
        state["relayed"] += 1
        self.transport.sendto(data, self.target)


class StunServer(asyncio.DatagramProtocol):
    """Answers Binding requests with --stun-maps-to as the address and the sender's port."""

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if len(data) < 20 or data[0:2] != b"\x00\x01" or data[4:8] != b"\x21\x12\xa4\x42":
            return
        state["stun_requests"] = state.get("stun_requests", 0) + 1
        ip = int(ipaddress.IPv4Address(args.stun_maps_to)) ^ 0x2112A442
        value = struct.pack("!BBHI", 0, 1, addr[1] ^ 0x2112, ip)
        body = struct.pack("!HH", 0x0020, len(value)) + value
        self.transport.sendto(struct.pack("!HH", 0x0101, len(body)) + data[4:20] + body, addr)


def candidate_ports(sdp):
    return [int(m.group(1)) for m in re.finditer(r"a=candidate:\S+ 1 udp \d+ \S+ (\d+) typ", sdp)]


def rewrite_ports(sdp, port):
    return re.sub(r"(a=candidate:\S+ \d udp \d+ \S+ )(\d+)( typ)", lambda m: f"{m.group(1)}{port}{m.group(3)}", sdp)
sessions = {}


async def frames(track):
    """A track's frames until it ends."""
    while True:
        try:
            yield await track.recv()
        except MediaStreamError:
            return


class Recording(threading.Thread):
    """Re-encodes what arrives into OUT_DIR/session-N.mkv on its own thread, so encoding never
    holds up the event loop that reads the sockets (a slow loop loses packets)."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.items = queue.Queue()
        self.errors = []
        self.start()

    def run(self):
        container = av.open(self.path, "w")
        video = audio = None
        held, audio_pts = [], 0
        try:
            while (item := self.items.get()) is not None:
                kind, frame, index = item
                if kind == "video":
                    if video is None:
                        video = container.add_stream("libx264", rate=30)
                        video.width, video.height, video.pix_fmt = frame.width, frame.height, "yuv420p"
                        video.options = {"preset": "ultrafast"}
                        audio = container.add_stream("pcm_s16le", rate=48000, layout="stereo")
                    picture = frame.reformat(format="yuv420p")
                    picture.pts, picture.time_base = index, Fraction(1, 30)
                    container.mux(video.encode(picture))
                    # Audio waits for the first video frame (aiortc's own recorder loses all video otherwise).
                    for h in held:
                        container.mux(audio.encode(h))
                    held = []
                else:
                    frame.pts, frame.time_base = audio_pts, Fraction(1, 48000)
                    audio_pts += frame.samples
                    if audio is None:
                        held.append(frame)
                    else:
                        container.mux(audio.encode(frame))
            for stream in (video, audio):
                if stream is not None:
                    container.mux(stream.encode(None))
        except Exception as e:  # noqa: BLE001 — reported to the test, which fails on it
            self.errors.append(f"recording: {type(e).__name__}: {e}")
        finally:
            container.close()

    def finish(self):
        self.items.put(None)
        self.join(timeout=20)


class Session:
    def __init__(self, n):
        self.n = n
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.report = {"video_frames": 0, "width": 0, "height": 0, "audio_frames": 0, "audio_samples": 0,
                       "audio_sum_squares": 0.0, "ended": None, "errors": [], "key_frames": []}
        self.started = time.monotonic()
        self.recording = None if args.no_record else Recording(os.path.join(args.out, f"session-{n}.mkv"))
        self.frames_log = open(os.path.join(args.out, f"frames-{n}.txt"), "w") if args.no_record else None
        self.tasks = []
        self.done = False

    async def video(self, track):
        async for frame in frames(track):
            r = self.report
            r["video_frames"] += 1
            r["width"], r["height"] = frame.width, frame.height
            r.setdefault("first_video", time.monotonic() - self.started)
            r["last_video"] = time.monotonic() - self.started
            if frame.key_frame:
                r["key_frames"].append(r["video_frames"])
            if args.pli_at and r["video_frames"] == args.pli_at:
                await self.picture_loss(track)
            if self.frames_log is not None:
                self.frames_log.write(f"{frame.pts} {time.time():.6f}\n")
            if self.recording is not None:
                self.recording.items.put(("video", frame, r["video_frames"] - 1))

    async def picture_loss(self, track):
        for receiver in self.pc.getReceivers():
            if receiver.track is track:
                for ssrc in list(receiver._RTCRtpReceiver__remote_streams):
                    await receiver._send_rtcp_pli(ssrc)
                    self.report["pli_sent_after"] = self.report["video_frames"]

    async def audio(self, track):
        async for frame in frames(track):
            r = self.report
            r["audio_frames"] += 1
            pcm = bytes(frame.planes[0])[: frame.samples * 2 * len(frame.layout.channels)]
            count = len(pcm) // 2
            rms = audioop.rms(pcm, 2) / 32768.0 if count else 0.0
            r["audio_samples"] += count
            r["audio_sum_squares"] += rms * rms * count
            if self.recording is not None:
                self.recording.items.put(("audio", frame, 0))

    async def finish(self, how):
        if self.done:
            return
        self.done = True
        self.report["ended"] = how
        await self.pc.close()
        for t in self.tasks:
            try:
                await asyncio.wait_for(t, 2)
            except Exception:  # noqa: BLE001
                pass
        if self.frames_log is not None:
            self.frames_log.close()
        if self.recording is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.recording.finish)
            self.report["errors"] += self.recording.errors
        self.write_report()

    def write_report(self):
        r = self.report
        r["audio_rms"] = math.sqrt(r["audio_sum_squares"] / r["audio_samples"]) if r["audio_samples"] else 0.0
        r["posts"], r["deletes"] = state["posts"], state["deletes"]
        r["relayed"], r["dropped"] = state["relayed"], state["dropped"]
        with open(os.path.join(args.out, f"session-{self.n}.json"), "w") as f:
            json.dump(r, f)


async def post(request):
    state["posts"] += 1
    if args.token and request.headers.get("Authorization") != f"Bearer {args.token}":
        return web.Response(status=401, text="bad token")
    if request.content_type != "application/sdp":
        return web.Response(status=415, text="expected application/sdp")
    if args.fail_first and not state["failed_first"]:
        state["failed_first"] = True
        status, _, after = args.fail_first.partition(":")
        return web.Response(status=int(status), headers={"Retry-After": after} if after else {})
    state["sessions"] += 1
    n = state["sessions"]
    s = Session(n)
    sessions[str(n)] = s

    @s.pc.on("track")
    def on_track(track):
        async def consume():
            try:
                await (s.video(track) if track.kind == "video" else s.audio(track))
            except Exception as e:  # noqa: BLE001 — reported to the test, which fails on it
                s.report["errors"].append(f"{track.kind}: {type(e).__name__}: {e}")
        s.tasks.append(asyncio.ensure_future(consume()))

    @s.pc.on("connectionstatechange")
    async def on_state():
        if s.pc.connectionState == "connected":
            s.report["connected_after"] = time.monotonic() - s.started
        if s.pc.connectionState in ("failed", "closed"):
            await s.finish(s.pc.connectionState)

    offer = await request.text()
    if args.candidate_port:
        offer = rewrite_ports(offer, args.candidate_port)
    await s.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    await s.pc.setLocalDescription(await s.pc.createAnswer())
    answer = s.pc.localDescription.sdp
    if args.candidate_port:
        answer = rewrite_ports(answer, args.candidate_port)
    if args.lossy:
        real = candidate_ports(answer)[0]
        transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: LossyRelay(real), local_addr=("127.0.0.1", 0))
        answer = rewrite_ports(answer, transport.get_extra_info("sockname")[1])
    with open(os.path.join(args.out, f"answer-{n}.sdp"), "w") as f:
        f.write(answer)
    headers = {"Location": f"/whip/session/{n}"}
    response = web.Response(status=201, content_type="application/sdp", text=answer, headers=headers)
    if args.stun_maps_to:
        response.headers.add("Link", f'<stun:127.0.0.1:{state["stun_port"]}>; rel="ice-server"')
        response.headers.add("Link", '<turn:127.0.0.1:3479?transport=udp>; rel="ice-server"; username="u"; credential="c"')
    return response


async def patch(request):
    s = sessions.get(request.match_info["n"])
    if s is None:
        return web.Response(status=404)
    if request.content_type != "application/trickle-ice-sdpfrag":
        return web.Response(status=415)
    s.report.setdefault("trickled", []).append(await request.text())
    s.report["stun_requests"] = state.get("stun_requests", 0)
    return web.Response(status=204)


async def delete(request):
    state["deletes"] += 1
    s = sessions.get(request.match_info["n"])
    if s is None:
        return web.Response(status=404)
    async def close():
        await s.finish("delete")
        s.report["deleted"] = True
        s.write_report()
    asyncio.ensure_future(close())
    return web.Response(status=200)


app = web.Application()
app.router.add_post("/whip/endpoint", post)
app.router.add_delete("/whip/session/{n}", delete)
app.router.add_patch("/whip/session/{n}", patch)


def with_large_receive_buffers(loop):
    """Every UDP socket of this process (aiortc's included) gets 4 MB of receive buffer: the
    Linux default (~200 KB, about 100 small datagrams) overflows in a second if the event loop
    stalls on a loaded machine, and the loss looks like the sender's."""
    create = loop.create_datagram_endpoint

    async def create_with_buffer(*a, **kw):
        transport, protocol = await create(*a, **kw)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)  # SO_RCVBUFFORCE (root)
            except OSError:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        return transport, protocol
    loop.create_datagram_endpoint = create_with_buffer


async def main():
    with_large_receive_buffers(asyncio.get_running_loop())
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", args.port).start()
    if args.stun_maps_to:
        transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(StunServer, local_addr=("127.0.0.1", 0))
        state["stun_port"] = transport.get_extra_info("sockname")[1]
    open(os.path.join(args.out, "ready"), "w").close()
    await asyncio.Event().wait()

asyncio.run(main())
