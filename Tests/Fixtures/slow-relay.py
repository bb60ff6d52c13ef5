#!/usr/bin/env python3
"""A TCP relay for the live tests: forwards LISTEN -> TARGET, passing what the client sends at
most RATE bytes a second (an ingest that reads slowly) after the first BURST bytes (default 0:
the RTMP handshake and publish can pass at once); the other way at full speed.
Prints "ready" once listening; stops after SECONDS."""
import asyncio
import sys

LISTEN, TARGET, RATE, SECONDS = (int(a) for a in sys.argv[1:5])
BURST = int(sys.argv[5]) if len(sys.argv) > 5 else 0


async def pipe(reader, writer, rate, burst=0):
    try:
        while True:
            data = await reader.read(burst if burst else rate if rate else 65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
            if burst:
                burst = max(0, burst - len(data))
            elif rate:
                await asyncio.sleep(1)
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_connection("127.0.0.1", TARGET)
    await asyncio.gather(pipe(client_reader, server_writer, RATE, BURST), pipe(server_reader, client_writer, 0))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", LISTEN)
    print("ready", flush=True)
    async with server:
        await asyncio.sleep(SECONDS)


asyncio.run(main())
