#!/usr/bin/env python3
"""A stand-in for the YouTube Data API's live chat endpoints on 127.0.0.1, for anchor's tests.

    youtube-api.py PORT LOG STEP...

Serves GET /youtube/v3/videos from youtube/videos.json and answers each
GET /youtube/v3/liveChat/messages with the next STEP: "STATUS:FILE" (a fixture in
youtube/, e.g. 200:page2.json or 403:quota-exceeded.json); after the last step, an empty
page. A step may add ":TOKEN", the pageToken the request must carry (else 400 pageTokenInvalid).
Every request is appended to LOG as a JSON line: time, path and query.
"""
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

port, log_path, steps = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "youtube")
lock = threading.Lock()
EMPTY = {"kind": "youtube#liveChatMessageListResponse", "pollingIntervalMillis": 1500,
         "pageInfo": {"totalResults": 0, "resultsPerPage": 0}, "nextPageToken": "END", "items": []}


class API(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with lock:
            with open(log_path, "a") as log:
                log.write(json.dumps({"t": time.time(), "path": url.path, "query": query,
                                      "auth": self.headers.get("Authorization")}) + "\n")
            if url.path == "/youtube/v3/videos":
                with open(os.path.join(here, "videos.json"), "rb") as f:
                    return self.answer(200, f.read())
            if url.path != "/youtube/v3/liveChat/messages":
                return self.answer(404, {"error": {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}})
            if not steps:
                return self.answer(200, EMPTY)
            step = steps.pop(0).split(":")
            status, name = int(step[0]), step[1]
            if len(step) > 2 and query.get("pageToken") != step[2]:
                return self.answer(400, {"error": {"code": 400, "message": "bad page token",
                                                   "errors": [{"domain": "youtube.liveChat", "reason": "pageTokenInvalid"}]}})
            with open(os.path.join(here, name), "rb") as f:
                return self.answer(status, f.read())


ThreadingHTTPServer(("127.0.0.1", port), API).serve_forever()
