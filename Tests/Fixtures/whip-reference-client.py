"""A reference WHIP client: FFmpeg 8's `whip` muxer (inside the PyAV wheel) publishes 5 s of a
moving test picture (H.264 constrained baseline, 320x240, 30 fps) and a 440 Hz tone (Opus,
20 ms frames). Proves the test endpoint (whip-endpoint.py) right independently of anchor.
Usage: whip-reference-client.py URL CERT_PEM KEY_PEM (an ECDSA P-256 certificate)."""
import math
import sys
import time
from fractions import Fraction

import av

url, cert, key = sys.argv[1:4]
out = av.open(url, mode="w", format="whip", options={"cert_file": cert, "key_file": key})
video = out.add_stream("libx264", rate=30)
video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
video.options = {"profile": "baseline", "tune": "zerolatency", "preset": "ultrafast", "g": "30", "bf": "0"}
audio = out.add_stream("libopus", rate=48000, layout="stereo")

sent = {"video": 0, "audio": 0}
start_time = time.monotonic()
for n in range(150):
    # In real time, as a live source would (a burst would overrun the receiver's jitter buffer).
    time.sleep(max(0.0, start_time + n / 30 - time.monotonic()))
    frame = av.VideoFrame(320, 240, "rgb24")
    row = bytes((x * 2 + n * 4) % 256 for x in range(320)) * 3
    line = bytes(b for x in range(320) for b in (row[x], (n * 3) % 256, 128))
    frame.planes[0].update(line * 240)
    frame = frame.reformat(format="yuv420p")
    frame.pts, frame.time_base = n, Fraction(1, 30)
    for packet in video.encode(frame):
        out.mux(packet)
        sent["video"] += 1
    # 1 600 samples of tone per video frame (48 kHz / 30).
    for half in range(2):
        start = n * 1600 + half * 800
        samples = [int(8000 * math.sin(2 * math.pi * 440 * (start + i) / 48000)) for i in range(800)]
        pcm = av.AudioFrame(format="s16", layout="stereo", samples=800)
        pcm.planes[0].update(b"".join(v.to_bytes(2, "little", signed=True) * 2 for v in samples))
        pcm.sample_rate, pcm.pts, pcm.time_base = 48000, start, Fraction(1, 48000)
        for packet in audio.encode(pcm):
            out.mux(packet)
            sent["audio"] += 1
for stream in (video, audio):
    for packet in stream.encode(None):
        out.mux(packet)
out.close()
print(sent)
