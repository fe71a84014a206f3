#!/usr/bin/env python3
"""Per-request timings of docker CLI commands, directly and through proxies, in one run.

Used by bench/docker-commands --requests. The docker CLI talks to a timing relay on a Unix
socket, one relay per target; the relay forwards the bytes unchanged to the target (the
engine's socket or a proxy's TCP port) and notes when each request's first byte came from
the CLI, when the target's first answer byte came back (the head) and when its last one did
before the next request or the close. The relay's own cost falls on every target alike, so
the differences against direct are the proxy's. Rounds are interleaved, figures are medians.

    docker-requests.py RUNS NAME=HOST [NAME=HOST ...]    HOST: unix:///path or tcp://127.0.0.1:port
"""
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

COMMANDS = ["run --rm mini true", "ps"]
METHODS = (b"GET ", b"HEAD ", b"POST ", b"PUT ", b"DELETE ")


class Relay:
    """Forwards each connection to the target and records (connection, direction, time, bytes)."""

    def __init__(self, target, path):
        self.target = target
        self.path = path
        self.events = []
        self.connections = 0

    async def open_target(self):
        if self.target.startswith("unix://"):
            return await asyncio.open_unix_connection(self.target[len("unix://"):])
        host, port = self.target[len("tcp://"):].rsplit(":", 1)
        return await asyncio.open_connection(host, int(port))

    async def handle(self, client_reader, client_writer):
        self.connections += 1
        number = self.connections
        self.events.append((number, "open", time.perf_counter(), b""))
        target_reader, target_writer = await self.open_target()
        self.events.append((number, "connected", time.perf_counter(), b""))

        async def pump(reader, writer, direction):
            try:
                while True:
                    data = await reader.read(65536)
                    if not data:
                        break
                    self.events.append((number, direction, time.perf_counter(), data[:400]))
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                try:
                    if writer.can_write_eof():
                        writer.write_eof()
                    else:
                        writer.close()
                except (ConnectionError, OSError, RuntimeError):
                    pass

        await asyncio.gather(pump(client_reader, target_writer, "c2s"), pump(target_reader, client_writer, "s2c"))
        self.events.append((number, "close", time.perf_counter(), b""))
        client_writer.close()
        target_writer.close()


def start_relays(targets, directory):
    loop = asyncio.new_event_loop()
    relays = []
    for index, target in enumerate(targets):
        relay = Relay(target, os.path.join(directory, f"relay-{index}.sock"))
        loop.run_until_complete(asyncio.start_unix_server(relay.handle, path=relay.path))
        relays.append(relay)
    threading.Thread(target=loop.run_forever, daemon=True).start()
    return relays


def request_name(first_bytes):
    line = first_bytes.split(b"\r\n", 1)[0].decode("latin-1")
    method, target = line.split(" ")[0], line.split(" ")[1]
    path, _, query = target.partition("?")
    path = re.sub(r"^/v[0-9.]+", "", path)
    path = re.sub(r"/[0-9a-f]{12,64}(?=/|$)", "/{id}", path)
    keys = "&".join(sorted(pair.split("=")[0] for pair in query.split("&") if pair))
    upgrade = " (upgrade)" if b"\r\nupgrade:" in first_bytes.lower() else ""
    return f"{method} {path}" + (f"?{keys}" if keys else "") + upgrade


def requests_of(events, started):
    """Each request as (name, connection's order, head ms, end ms, from start ms, new connection)."""
    result = []
    by_connection = {}
    for number, direction, at, data in events:
        by_connection.setdefault(number, []).append((direction, at, data))
    for number, items in by_connection.items():
        opened = items[0][1]
        current = None
        for direction, at, data in items:
            if direction == "c2s" and data.startswith(METHODS) and (current is None or current["head"] is not None):
                current = {"name": request_name(data), "sent": at, "head": None, "end": None,
                           "first": not any(r["connection"] == number for r in result), "connection": number,
                           "connect": (at - opened) * 1000}
                result.append(current)
            elif direction == "s2c" and current is not None:
                if current["head"] is None:
                    current["head"] = at
                current["end"] = at
    rows = []
    for r in sorted(result, key=lambda r: r["sent"]):
        if r["head"] is None:
            continue
        rows.append((r["name"], (r["head"] - r["sent"]) * 1000, (r["end"] - r["sent"]) * 1000,
                     (r["sent"] - started) * 1000, r["first"]))
    return rows


def main():
    runs = int(sys.argv[1])
    names, hosts = [], []
    for argument in sys.argv[2:]:
        name, host = argument.split("=", 1)
        names.append(name)
        hosts.append(host)
    directory = tempfile.mkdtemp(prefix="sp-relay.")
    relays = start_relays(hosts, directory)
    # per command, per target: list of (total ms, rows)
    samples = {(c, n): [] for c in COMMANDS for n in names}
    for round in range(runs + 2):
        for command in COMMANDS:
            order = list(range(len(relays)))
            order = order[round % len(order):] + order[:round % len(order)]
            for i in order:
                relay = relays[i]
                relay.events.clear()
                time.sleep(0.05)
                started = time.perf_counter()
                subprocess.run(["docker", "-H", f"unix://{relay.path}", *command.split()], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                total = (time.perf_counter() - started) * 1000
                time.sleep(0.05)
                if round >= 2:
                    samples[(command, names[i])].append((total, requests_of(list(relay.events), started)))
    for command in COMMANDS:
        print(f"## docker {command}: per request, median of {runs} interleaved runs (ms)")
        print()
        print("| request | " + " | ".join(f"{n} head | {n} end | {n} sent at" for n in names) + " | "
              + " | ".join(f"{n} − {names[0]} (head)" for n in names[1:]) + " |")
        print("|---|" + "---:|" * (3 * len(names) + len(names) - 1))
        # the requests of the first target's first sample give the order; match by name and occurrence
        reference = samples[(command, names[0])][0][1]
        keys = []
        seen = {}
        for name, *_ in reference:
            seen[name] = seen.get(name, 0) + 1
            keys.append((name, seen[name]))
        for key in keys:
            cells = []
            heads = []
            for n in names:
                head, end, sent = [], [], []
                for total, rows in samples[(command, n)]:
                    matching = [r for r in rows if r[0] == key[0]]
                    if len(matching) >= key[1]:
                        row = matching[key[1] - 1]
                        head.append(row[1])
                        end.append(row[2])
                        sent.append(row[3])
                if head:
                    heads.append(statistics.median(head))
                    cells.append(f"{statistics.median(head):.2f} | {statistics.median(end):.2f} | {statistics.median(sent):.1f}")
                else:
                    heads.append(None)
                    cells.append("– | – | –")
            diffs = [f"{h - heads[0]:+.2f}" if h is not None and heads[0] is not None else "–" for h in heads[1:]]
            label = key[0] + (f" #{key[1]}" if key[1] > 1 else "")
            print(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(diffs) + " |")
        totals = [statistics.median(t for t, _ in samples[(command, n)]) for n in names]
        print(f"| **whole command** | " + " | ".join(f"{t:.1f} | | " for t in totals) + " | "
              + " | ".join(f"{t - totals[0]:+.1f} ({t / totals[0]:.2f}×)" for t in totals[1:]) + " |")
        print()


if __name__ == "__main__":
    main()
