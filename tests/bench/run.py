"""The performance figures of membercare: `make bench` runs this.

    python3 tests/bench/run.py --build BUILD_DIR [--only NAME ...] [--quick]

Each benchmark is a function registered with @bench that takes the shared
context and returns named figures: {name: (value, unit, budget or None)}.
The figures of every benchmark are printed as one table and written to
BUILD_DIR/bench/results.json, so later work adds a function and nothing
else. Medians of several runs are reported; a figure with a budget is
marked "ok" or "OVER". The exit status is 1 when a budget is exceeded.

Benchmarks that talk to a server start one membercare-sandbox (a temporary
database with 20 generated members besides the fixed ones, the clock pinned
like the tests') and drive the real console in a pseudo-terminal
(ptydriver.py), counting the bytes it writes to the terminal.
Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "integration", "lib"))

from ptydriver import Pty  # noqa: E402
from sandboxproc import Sandbox  # noqa: E402

NOW = "2026-11-25T10:00:00Z"
BENCHES = []


def bench(fn):
    BENCHES.append(fn)
    return fn


class Context:
    def __init__(self, build, quick):
        self.build = build
        self.quick = quick
        self.tmp = tempfile.mkdtemp(prefix="mc-bench-")
        self._sandbox = None

    def binary(self, *parts):
        return os.path.join(self.build, *parts)

    def run_json(self, *argv):
        out = subprocess.run(list(argv), check=True, capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    def sandbox(self):
        if not self._sandbox:
            os.environ["MC_BUILD"] = self.build
            self._sandbox = Sandbox("--customers", "20", db=os.path.join(self.tmp, "sandbox.db"))
            self._sandbox.start()
        return self._sandbox

    def console(self, cols=80, rows=24):
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                   MEMBERCARE_PASSWORD="demo", MEMBERCARE_NOW=NOW, HOME=self.tmp,
                   XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                   XDG_STATE_HOME=os.path.join(self.tmp, "state"))
        env.pop("NO_COLOR", None)
        return Pty([self.binary("membercare"), "--host", self.sandbox().url, "--user", "demo.agent"],
                   cols=cols, rows=rows, env=env)

    def close(self):
        if self._sandbox:
            self._sandbox.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def open_ledger(p, mobile):
    """Search screen -> the member -> `l`; returns when the first page is drawn."""
    p.wait_for(b"Find member")
    p.send(mobile + "\r")
    p.wait_for(b"Recent activity")
    p.settle(300)
    mark = len(p.out)
    p.send("l")
    deadline = time.monotonic() + 30
    while not re.search(rb"row 1 of [\d,]+ \(", bytes(p.out[mark:])):
        if time.monotonic() > deadline:
            raise TimeoutError("the ledger did not open")
        p.settle(50, timeout=1)
    p.settle(500)


# The benchmarks


@bench
def decode(ctx):
    """Decoding one 1,000-entry ledger page (the worker does this per page)."""
    r = ctx.run_json(ctx.binary("tests", "bench", "bench_decode"), "1000", "20" if ctx.quick else "60")
    return {
        "decode 1,000-entry ledger page": (r["median_ms"], "ms", None),
        "decode per ledger entry": (r["us_per_entry"], "us", None),
        "ledger page body size": (r["bytes"] / 1024.0, "KiB", None),
    }


@bench
def full_frame(ctx):
    """A full frame of the ledger screen (draw + every cell sent), 80x24 and 200x60."""
    out = {}
    for cols, rows in ((80, 24), (200, 60)):
        r = ctx.run_json(ctx.binary("tests", "bench", "bench_draw"), str(cols), str(rows),
                         "50" if ctx.quick else "200")
        out["full frame %dx%d (draw + output)" % (cols, rows)] = (r["frame_ms"], "ms", None)
        out["full frame %dx%d (view draw only)" % (cols, rows)] = (r["draw_ms"], "ms", None)
        out["full frame %dx%d output" % (cols, rows)] = (r["frame_bytes"], "bytes", None)
    return out


@bench
def scrolling(ctx):
    """Bytes written to an 80x24 terminal per one-row and per page scroll of
    Asha's ledger (every row loaded, so nothing else writes), medians."""
    with ctx.console(80, 24) as p:
        open_ledger(p, "919845000001")
        p.settle(800)
        for _ in range(25):  # the cursor to the last screen row: each Down then scrolls
            p.send("Down")
        p.settle(400)
        n = 8 if ctx.quick else 20
        one = [p.measure("Down") for _ in range(n)]
        page = [p.measure("PgDn") for _ in range(n // 2)]
        for _ in range(25):  # the cursor to the first screen row: each Up then scrolls
            p.send("Up")
        p.settle(400)
        up = [p.measure("Up") for _ in range(n)]
    return {
        "one-row scroll (Down) at 80x24": (statistics.median(b for b, _ in one), "bytes", 400),
        "one-row scroll (Up) at 80x24": (statistics.median(b for b, _ in up), "bytes", 400),
        "page scroll (PgDn) at 80x24": (statistics.median(b for b, _ in page), "bytes", None),
        "one-row scroll, key to last byte": (statistics.median(s for _, s in one) * 1000, "ms", None),
    }


@bench
def memory(ctx):
    """Memory per loaded ledger row: the row store alone (allocator and RSS),
    and the real console's RSS growth while `:export!` loads all of Meera's
    100,000+ rows."""
    r = ctx.run_json(ctx.binary("tests", "bench", "bench_rows"))
    out = {
        "row store: bytes per loaded row (allocator)": (r["bytes_per_row"], "bytes", 200),
        "row store: RSS per loaded row": (r["rss_bytes_per_row"], "bytes", 200),
        "row store: fixed part of a row": (r["row_bytes"], "bytes", None),
    }
    if ctx.quick:
        return out
    csv_path = os.path.join(ctx.tmp, "meera.csv")
    with ctx.console(80, 24) as p:
        open_ledger(p, "919845000100")
        p.settle(1500)
        text = bytes(p.out).decode("utf-8", "replace")
        before_rows = int(re.findall(r"\(([\d,]+) loaded\)", text)[-1].replace(",", ""))
        before = p.rss_kb()
        start = time.monotonic()
        p.send(":export! " + csv_path + "\r")
        p.wait_for(b"Exported", timeout=600)
        secs = time.monotonic() - start
        p.settle(500)
        after = p.rss_kb()
        with open(csv_path) as f:
            rows = sum(1 for _ in f) - 1
    grown = rows - before_rows
    out["console: RSS per loaded row (Meera, all rows)"] = ((after - before) * 1024.0 / grown, "bytes", 200)
    out["console: fetch and export all of Meera's ledger"] = (secs, "s", None)
    out["console: rows exported"] = (rows, "rows", None)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, help="the CMake build directory")
    ap.add_argument("--only", nargs="*", help="benchmark names to run (default: all)")
    ap.add_argument("--quick", action="store_true", help="fewer runs, no whole-ledger load")
    args = ap.parse_args()
    ctx = Context(os.path.abspath(args.build), args.quick)
    results, failed = {}, False
    try:
        for fn in BENCHES:
            if args.only and fn.__name__ not in args.only:
                continue
            t0 = time.monotonic()
            try:
                figures = fn(ctx)
            except Exception as e:  # a broken bench is reported, the rest still run
                print("%s: failed: %s" % (fn.__name__, e), file=sys.stderr)
                failed = True
                continue
            for name, (value, unit, budget) in figures.items():
                results[name] = {"bench": fn.__name__, "value": round(float(value), 3), "unit": unit,
                                 "budget": budget}
            print("%s: %.1f s" % (fn.__name__, time.monotonic() - t0), file=sys.stderr)
    finally:
        ctx.close()
    width = max([len(k) for k in results] + [10])
    print("%-*s %12s %-6s %8s" % (width, "figure", "value", "unit", "budget"))
    print("-" * (width + 30))
    for name, r in results.items():
        mark = ""
        if r["budget"] is not None:
            ok = r["value"] <= r["budget"]
            failed |= not ok
            mark = "%6g %s" % (r["budget"], "ok" if ok else "OVER")
        print("%-*s %12.3f %-6s %s" % (width, name, r["value"], r["unit"], mark))
    outdir = os.path.join(ctx.build, "bench")
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "figures": results},
                  f, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
