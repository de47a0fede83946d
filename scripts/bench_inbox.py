#!/usr/bin/env python3
"""The inbox at size (issue 25): `fetch` of many feeds from a local server,
then again with every feed answering 304, and `inbox` over many entries.

Serves --feeds RSS 2.0 feeds of --entries items each on 127.0.0.1 (a
thread of this script; each feed with an ETag, answering 304 when it is sent
back), adds them to a new store, and measures with os.wait4 the wall time and
peak resident set size of the first `fetch` and of the second (all 304).
Then puts --inbox entries straight into another store's inbox table (as a
long-used store holds them) and times `inbox`, whose first page is what an
analyst waits for.

    cargo build --release && scripts/bench_inbox.py                   # 50 x 100, 1M
    scripts/bench_inbox.py --feeds 3 --entries 5 --inbox 1000          # quicker

Target (issue 25): `inbox` under 100 ms at a million entries.
"""
import argparse
import http.server
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOOKOUT = os.environ.get("LOOKOUT_BIN") or os.path.join(ROOT, "target", "release", "lookout")


def feed(n, entries):
    items = "".join(
        f"<item><title>Feed {n} reports development {i}</title>"
        f"<link>https://example.org/{n}/{i}</link><guid>f{n}-{i}</guid>"
        f"<pubDate>Sat, 26 Jul 2025 09:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Summary {i} of feed {n}.&lt;/p&gt;</description></item>"
        for i in range(entries)
    )
    return f'<rss version="2.0"><channel><title>Feed {n}</title>{items}</channel></rss>'.encode()


def serve(bodies):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(db, args):
    env = dict(os.environ, LOOKOUT_DB=db, LOOKOUT_TODAY="2025-08-01")
    start = time.monotonic()
    proc = subprocess.Popen([LOOKOUT, *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"lookout {' '.join(args)} failed: {proc.stderr.read().decode()}")
    return took, usage.ru_maxrss / 1024


def fill_inbox(db, count):
    """`count` entries straight into the inbox of a new store."""
    run(db, ["feed", "add", "/nonexistent.xml", "--name", "big"])
    conn = sqlite3.connect(db)
    rows = ((f"g{i}", f"Entry {i} of a long-used inbox", f"https://example.org/{i}",
             "2025-07-26T09:00:00Z", "2025-07-26", f"Summary {i}", "2025-07-27T00:00:00Z",
             "dismissed" if i % 3 else "new") for i in range(count))
    conn.executemany(
        "INSERT INTO inbox (feed, identity, title, link, published, day, summary, arrived_at,"
        " state) VALUES ('big', ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--inbox", type=int, default=1_000_000)
    args = parser.parse_args()
    bodies = {f"/{n}.xml": feed(n, args.entries) for n in range(args.feeds)}
    server = serve(bodies)
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "fetch.db")
        for n in range(args.feeds):
            url = f"http://127.0.0.1:{server.server_address[1]}/{n}.xml"
            run(db, ["feed", "add", url, "--name", f"feed-{n}"])
        took, rss = run(db, ["fetch"])
        print(f"fetch, {args.feeds} feeds x {args.entries} entries: {took * 1000:.0f} ms, "
              f"peak {rss:.1f} MiB")
        took, rss = run(db, ["fetch"])
        print(f"fetch again, every feed 304: {took * 1000:.0f} ms, peak {rss:.1f} MiB")
        big = os.path.join(work, "inbox.db")
        fill_inbox(big, args.inbox)
        best = min(run(big, ["inbox"])[0] for _ in range(3))
        print(f"inbox, first page of {args.inbox} entries (a third new): {best * 1000:.0f} ms")
    server.shutdown()


if __name__ == "__main__":
    main()
