"""Listens once for an RTMP publish with PyAV's FFmpeg 8 (which reads Enhanced RTMP: Opus,
HEVC), decodes everything, and prints one JSON line: each stream's codec, packets, decoded
frames and decode errors. Usage: flv-listen.py rtmp://127.0.0.1:PORT/app/key [READY_FILE]
(READY_FILE is created once PyAV is loaded, just before listening)."""
import errno
import json
import sys

import av

url = sys.argv[1]
if len(sys.argv) > 2:
    open(sys.argv[2], "w").close()
report = {"streams": {}, "error": None}
try:
    container = av.open(url, format="flv", options={"listen": "1", "timeout": "20", "analyzeduration": "500000", "probesize": "32768"})
    for s in container.streams:
        report["streams"][str(s.index)] = {"type": s.type, "codec": s.codec_context.name, "packets": 0, "frames": 0,
                                           "errors": 0, "width": getattr(s.codec_context, "width", 0),
                                           "sample_rate": getattr(s.codec_context, "sample_rate", 0)}
    try:
        for packet in container.demux():
            if packet.size == 0:
                continue
            entry = report["streams"][str(packet.stream.index)]
            entry["packets"] += 1
            if packet.pts is not None:
                t = float(packet.pts * packet.time_base)
                entry["first"] = min(entry.get("first", t), t)
                entry["last"] = max(entry.get("last", t), t)
            try:
                entry["frames"] += len(packet.decode())
            except av.error.FFmpegError:
                entry["errors"] += 1
    except OSError as e:
        # The end of a publish surfaces as EIO: it is the end of the stream.
        report["ended"] = f"{type(e).__name__}: {e}"
        if e.errno != errno.EIO:
            raise
except Exception as e:  # noqa: BLE001 — reported to the test, which fails on it
    report["error"] = f"{type(e).__name__}: {e}"
print(json.dumps(report), flush=True)
