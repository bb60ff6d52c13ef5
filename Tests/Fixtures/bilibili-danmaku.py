#!/usr/bin/env python3
"""A stand-in for Bilibili's live danmaku service on 127.0.0.1, for anchor's tests. Needs
Debian's python3-websockets and python3-brotli (run it with /usr/bin/python3).

    bilibili-danmaku.py PORT LOG [mute | beats=N]

HTTP on the same port: /room/v1/Room/room_init?id=7 -> real room 1007;
/xlive/web-room/v1/index/getDanmuInfo?id=1007 -> a token and this server as the host.
WebSocket /sub: expects the auth packet (operation 7) with roomid 1007 and the token, answers
operation 8, replies to heartbeats (operation 2) with operation 3, and sends notifications:
a plain DANMU_MSG, then a zlib-compressed frame (gift, follow), then a brotli-compressed one
(super chat, like, guard, a suffixed DANMU_MSG, a gift from a logged-out viewer). The first
connection is closed after that; the next one gets one more message. LOG gets a JSON line per
packet received. With "mute" it logs the viewer in and then says nothing, heartbeats unanswered
(a half-open connection). With beats=N the first connection is closed only after N heartbeats
(instead of 1.5 s after the last frame), whatever the load on the machine.
"""
import asyncio, http, json, struct, sys, time, zlib
import brotli, websockets

port, log_path = int(sys.argv[1]), sys.argv[2]
mute = sys.argv[3:] == ["mute"]
beats_wanted = int(sys.argv[3][6:]) if sys.argv[3:] and sys.argv[3].startswith("beats=") else 0
ROOM, SHORT, TOKEN = 1007, 7, "tok-anchor-123"
connections = 0


def packet(op, body, ver=0):
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return struct.pack(">IHHII", 16 + len(data), 16, ver, op, 1) + data


def log(entry):
    with open(log_path, "a") as f:
        f.write(json.dumps(dict(entry, t=time.time())) + "\n")


def danmu(uid, name, text, cmd="DANMU_MSG"):
    return {"cmd": cmd, "info": [[0, 1, 25, 16777215, 1733300000000, 0, 0, "abcd", 0, 0, 0, "", 0, "{}", "{}", {}],
                                 text, [uid, name, 0, 0, 0, 10000, 1, ""], [], [10, 0, 9868950, ">50000", 0], ["", ""], 0, 0, None,
                                 {"ts": 1733300000, "ct": "AB12CD34"}, 0, 0, None, None, 0, 105]}


def room_api(path, request_headers):
    if path.startswith("/sub"):
        return None
    body = None
    if path.startswith("/room/v1/Room/room_init"):
        ok = f"id={SHORT}" in path
        body = {"code": 0 if ok else 60004, "msg": "ok" if ok else "房间不存在", "message": "ok" if ok else "房间不存在",
                "data": {"room_id": ROOM, "short_id": SHORT, "uid": 42, "live_status": 1} if ok else {}}
    elif path.startswith("/xlive/web-room/v1/index/getDanmuInfo"):
        body = {"code": 0, "message": "0", "ttl": 1,
                "data": {"group": "live", "business_id": 0, "refresh_row_factor": 0.125, "refresh_rate": 100, "max_delay": 5000,
                         "token": TOKEN, "host_list": [{"host": "127.0.0.1", "port": port, "wss_port": port, "ws_port": port}]}}
    log({"http": path})
    if body is None:
        return (http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"not found")
    return (http.HTTPStatus.OK, [("Content-Type", "application/json")], json.dumps(body, ensure_ascii=False).encode())


async def serve(ws, path):
    global connections
    connections += 1
    first = connections == 1
    auth = await ws.recv()
    length, header, ver, op, seq = struct.unpack(">IHHII", auth[:16])
    body = json.loads(auth[16:length])
    log({"op": op, "ver": ver, "body": body})
    if op != 7 or body.get("roomid") != ROOM or body.get("key") != TOKEN:
        await ws.send(packet(8, {"code": -101}))
        await ws.close()
        return

    beats = asyncio.Event()
    seen = 0

    async def heartbeats():
        nonlocal seen
        try:
            async for frame in ws:
                _, _, ver, op, _ = struct.unpack(">IHHII", frame[:16])
                log({"op": op, "ver": ver})
                if op == 2:
                    seen += 1
                    if seen >= beats_wanted:
                        beats.set()
                if op == 2 and not mute:
                    await ws.send(packet(3, struct.pack(">I", 4242), ver=1))
        except websockets.ConnectionClosed:
            pass

    reader = asyncio.ensure_future(heartbeats())
    await ws.send(packet(8, {"code": 0}))
    await asyncio.sleep(0.3)
    if mute:
        await reader
    elif first:
        await ws.send(packet(5, danmu(1001, "小明", "这个精华多少钱？")))
        zipped = packet(5, {"cmd": "SEND_GIFT", "data": {"giftName": "小心心", "num": 3, "uname": "阿花", "uid": 1002, "price": 1000,
                                                         "coin_type": "gold", "total_coin": 3000, "action": "投喂"}}) + \
            packet(5, {"cmd": "INTERACT_WORD", "data": {"uid": 1003, "uname": "Bob", "msg_type": 2, "roomid": ROOM}})
        await ws.send(packet(5, zlib.compress(zipped), ver=2))
        squeezed = packet(5, {"cmd": "SUPER_CHAT_MESSAGE", "data": {"uid": 1004, "price": 30, "message": "主播好看！",
                                                                  "user_info": {"uname": "大壮"}}}) + \
            packet(5, {"cmd": "LIKE_INFO_V3_CLICK", "data": {"uid": 1005, "uname": "点赞王", "like_text": "为主播点赞了"}}) + \
            packet(5, {"cmd": "GUARD_BUY", "data": {"uid": 1006, "username": "舰长甲", "guard_level": 3, "num": 1, "price": 198000,
                                                   "gift_name": "舰长"}}) + \
            packet(5, danmu(1007, "Amy", "does it ship abroad?", cmd="DANMU_MSG:4:0:2:2:2:0")) + \
            packet(5, {"cmd": "SEND_GIFT", "data": {"giftName": "辣条", "num": 1, "uname": "游客", "uid": 0, "coin_type": "silver",
                                                   "total_coin": 100}}) + \
            packet(5, {"cmd": "ONLINE_RANK_COUNT", "data": {"count": 12}})
        await ws.send(packet(5, brotli.compress(squeezed), ver=3))
        if beats_wanted:
            await beats.wait()
        else:
            await asyncio.sleep(1.5)
        reader.cancel()
        await ws.close()
    else:
        await ws.send(packet(5, danmu(1001, "小明", "还在吗？")))
        await reader


async def main():
    async with websockets.serve(serve, "127.0.0.1", port, process_request=room_api):
        await asyncio.Future()

asyncio.run(main())
