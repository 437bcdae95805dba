"""The performance figures of membercare: `make bench` runs this.

    python3 tests/bench/run.py --build BUILD_DIR [--only NAME ...] [--quick]

Each benchmark is a function registered with @bench that takes the shared
context and returns named figures: {name: (value, unit, budget or None)}.
The figures of every benchmark are printed as one table and written to
BUILD_DIR/bench/results.json, so later work adds a function and nothing
else. Medians of several runs are reported (the count is in the figure's
note); a figure with a budget is marked "ok" or "OVER", and the exit
status is 1, naming the figure, when a budget is exceeded or a benchmark
broke. Figures derived from other benchmarks' figures (the ratio to tig)
are computed by @derived functions after all benchmarks ran.

Benchmarks that talk to a server start membercare-sandbox (a temporary
database with 20 generated members besides the fixed ones, the clock pinned
like the tests'; one plain, one with --latency 100) and drive the real
console in a pseudo-terminal (ptydriver.py), counting the bytes it writes
to the terminal. `tig` in a generated 10,000-commit repository is driven
the same way as the reference. The plain HTTP comparisons use the curl
command and the load figures wrk. Standard library only.
"""
import argparse
import base64
import hashlib
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
DERIVED = []
ASHA_ID = 565000001
GENERATED = 565100000   # generated member k is GENERATED + k
AGENT, SUPERVISOR, PASSWORD = "demo.agent", "demo.supervisor", "demo"
CTRL_S = "\x13"


def bench(fn):
    BENCHES.append(fn)
    return fn


def derived(fn):
    DERIVED.append(fn)
    return fn


def median(xs):
    return statistics.median(list(xs))


def basic_auth(till):
    raw = "%s:%s" % (till, hashlib.md5(PASSWORD.encode()).hexdigest())
    return "Basic " + base64.b64encode(raw.encode()).decode()


class Context:
    def __init__(self, build, quick):
        self.build = build
        self.quick = quick
        self.tmp = tempfile.mkdtemp(prefix="mc-bench-")
        self._sandboxes = {}
        self.notes = {}   # figure name -> how it was measured (runs, method)
        os.environ["MC_BUILD"] = build

    def runs(self, full, quick):
        return quick if self.quick else full

    def binary(self, *parts):
        return os.path.join(self.build, *parts)

    def run_json(self, *argv):
        out = subprocess.run(list(argv), check=True, capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    def sandbox(self, latency=0):
        """The plain sandbox, or one answering every request latency ms late
        (both start from one seeded database)."""
        if latency not in self._sandboxes:
            args = ["--latency", str(latency)] if latency else []
            sb = Sandbox(*args, template_customers=20)
            sb.start()
            self._sandboxes[latency] = sb
        return self._sandboxes[latency]

    def console_env(self, **extra):
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                   MEMBERCARE_PASSWORD=PASSWORD, MEMBERCARE_NOW=NOW, HOME=self.tmp,
                   XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                   XDG_STATE_HOME=os.path.join(self.tmp, "state"))
        env.pop("NO_COLOR", None)
        env.update(extra)
        return env

    def console(self, cols=80, rows=24, latency=0, user=AGENT, args=()):
        return Pty([self.binary("membercare"), "--host", self.sandbox(latency).url, "--user", user] + list(args),
                   cols=cols, rows=rows, env=self.console_env())

    def config_file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)  # the console refuses a config others can read
        return path

    def close(self):
        for sb in self._sandboxes.values():
            sb.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def first_frame(p):
    """Waits for the search screen's first complete frame; returns the seconds
    from the program's start to the last byte before the output went quiet."""
    _, secs = p.until([b"Find member", b"? help"], 0, p.started, quiet_ms=150)
    return secs


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


def curl_times(urls, till=AGENT, data=None):
    """One curl process fetching urls one after another over one kept-alive
    connection (POSTing data[i] when given); returns [(status, seconds)]."""
    cfg = []
    for i, url in enumerate(urls):
        if i:
            cfg.append("next")
        cfg += ['url = "%s"' % url, 'header = "Authorization: %s"' % basic_auth(till),
                'output = "/dev/null"', 'write-out = "%{http_code} %{time_total}\\n"', "silent"]
        if data is not None:
            cfg += ['header = "Content-Type: application/json"', "data = %s" % json.dumps(json.dumps(data[i]))]
    out = subprocess.run(["curl", "--config", "-"], input="\n".join(cfg) + "\n", check=True,
                         capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip()]
    return [(int(code), float(t)) for code, t in rows]


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
def startup(ctx):
    """Start to the first complete frame: the search screen drawn and the
    output quiet for 150 ms (the time is to the last byte, not the quiet
    end). --host at the running sandbox, and --demo including the sandbox's
    start (from the day's seeded template: the first start of a day seeds it,
    about half a minute here, and is not counted)."""
    n = ctx.runs(11, 5)
    host = []
    for i in range(n + 1):
        with ctx.console(80, 24) as p:
            secs = first_frame(p)
            if i:  # the first start warms the page cache and the sandbox
                host.append(secs * 1000)
    floor = []
    for _ in range(n):  # what the driver itself adds: spawn to a program's first byte
        with Pty(["/bin/echo", "x"], env=ctx.console_env()) as p:
            p.wait_for(b"x")
            floor.append((time.monotonic() - p.started) * 1000)
    out = {
        "start to first frame, --host (running sandbox)": (median(host), "ms", 50),
        "driver floor: spawn to first byte of echo": (median(floor), "ms", None),
    }
    ctx.notes["start to first frame, --host (running sandbox)"] = "median of %d after one warm-up" % n
    cache = os.path.join(ctx.build, "bench", "demo-cache")
    env = ctx.console_env(XDG_CACHE_HOME=cache, TMPDIR=ctx.tmp)
    demo = []
    for i in range(ctx.runs(4, 2)):
        with Pty([ctx.binary("membercare"), "--demo"], env=env) as p:
            secs = p.until([b"Find member", b"? help"], 0, p.started, quiet_ms=150, timeout=600)[1]
            if i:  # the first run may seed the day's template
                demo.append(secs * 1000)
    out["start to first frame, --demo (with the sandbox's start)"] = (median(demo), "ms", None)
    ctx.notes["start to first frame, --demo (with the sandbox's start)"] = "median of %d after one warm-up" % len(demo)
    return out


def key_figures(p, key, n, label, size, out, budget_ms=None, budget_bytes=None, quiet_ms=100):
    """Sends key n times, each after the output went quiet; records the
    median bytes and key-to-last-byte time under label."""
    got = [p.measure(key, quiet_ms) for _ in range(n)]
    out["%s at %s: bytes" % (label, size)] = (median(b for b, _ in got), "bytes", budget_bytes)
    out["%s at %s: key to last byte" % (label, size)] = (median(s for _, s in got) * 1000, "ms", budget_ms)


@bench
def keys(ctx):
    """Keypress to the last byte written, and the bytes, for the everyday
    moves, at 80x24 and 200x60: opening a member from the search results
    (with the sandbox's answers), the help overlay, and in Asha's ledger
    (every row loaded, so nothing else writes) a cursor move, a one-row
    scroll and a page scroll."""
    out = {}
    n = ctx.runs(15, 6)
    for cols, rows in ((80, 24), (200, 60)):
        size = "%dx%d" % (cols, rows)
        with ctx.console(cols, rows) as p:
            first_frame(p)
            p.send("Rao\r")
            p.wait_for(b"match 'Rao'")
            p.settle(300)
            opened = []
            for _ in range(ctx.runs(5, 2)):
                mark = len(p.out)
                t0 = time.monotonic()
                p.send("\r")
                opened.append(p.until([b"Recent activity", b"Lifetime"], mark, t0, quiet_ms=150))
                p.send("Esc")
                p.settle(300)
            out["open a member from the results at %s: bytes" % size] = (median(b for b, _ in opened), "bytes", None)
            out["open a member from the results at %s: key to last byte" % size] = (
                median(s for _, s in opened) * 1000, "ms", None)
            p.send("\r")
            p.wait_for(b"Recent activity")
            p.settle(300)
            helps = []
            for _ in range(ctx.runs(5, 2)):
                helps.append(p.measure("?", 100))
                p.send("Esc")
                p.settle(200)
            out["help overlay at %s: bytes" % size] = (median(b for b, _ in helps), "bytes", None)
            out["help overlay at %s: key to last byte" % size] = (median(s for _, s in helps) * 1000, "ms", None)
            mark = len(p.out)
            p.send("l")
            deadline = time.monotonic() + 30
            while not re.search(rb"row 1 of [\d,]+ \(", bytes(p.out[mark:])):
                if time.monotonic() > deadline:
                    raise TimeoutError("the ledger did not open")
                p.settle(50, timeout=1)
            p.settle(800)
            moves = min(n, rows - 12)  # the cursor stays inside the first screen
            key_figures(p, "Down", moves, "cursor move one row", size, out,
                        budget_ms=1.0 if size == "80x24" else None)
            for _ in range(rows):  # the cursor to the last screen row: each Down then scrolls
                p.send("Down")
            p.settle(400)
            key_figures(p, "Down", n, "one-row scroll", size, out, budget_ms=1.0 if size == "80x24" else None,
                        budget_bytes=400 if size == "80x24" else None)
            key_figures(p, "PgDn", ctx.runs(4, 2), "page scroll", size, out)
    return out


def tig_repo(ctx, commits=10000):
    """A repository of `commits` commits, each changing one line of one
    file, written with git fast-import (a second or two)."""
    repo = os.path.join(ctx.tmp, "tig-repo")
    env = dict(os.environ, HOME=ctx.tmp, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True, env=env)
    parts = []
    t = 1700000000
    for i in range(1, commits + 1):
        msg = "Change %d: adjust the points rule for store %d\n" % (i, i % 97)
        body = "rule %d\n" % i
        parts.append("commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\n"
                     "data %d\n%s" % (i, t + i * 60, len(msg), msg))
        if i > 1:
            parts.append("from :%d\n" % (i - 1))
        parts.append("M 644 inline rules/file%d.txt\ndata %d\n%s\n" % (i % 50, len(body), body))
    subprocess.run(["git", "fast-import", "--quiet"], input="".join(parts).encode(), cwd=repo, check=True, env=env)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True, env=env)
    return repo, env


@bench
def tig(ctx):
    """The reference: tig's main view (the commit log) of a 10,000-commit
    repository in the same driver, same sizes: a cursor move, a one-row
    scroll (Down with the cursor on the last row) and a page scroll."""
    if not shutil.which("tig"):
        raise RuntimeError("tig is not installed (tools/install-deps --bench)")
    repo, env = tig_repo(ctx)
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    out = {}
    n = ctx.runs(15, 6)
    for cols, rows in ((80, 24), (200, 60)):
        size = "%dx%d" % (cols, rows)
        with Pty(["/bin/sh", "-c", "cd '%s' && exec tig" % repo], cols=cols, rows=rows, env=env) as p:
            p.wait_for(b"[main]")
            p.settle(1000)
            key_figures(p, "Down", min(n, rows - 12), "tig: cursor move one row", size, out)
            for _ in range(rows):
                p.send("Down")
            p.settle(400)
            key_figures(p, "Down", n, "tig: one-row scroll", size, out)
            key_figures(p, "PgDn", ctx.runs(4, 2), "tig: page scroll", size, out)
    return out


@derived
def versus_tig(results):
    out = {}
    for size in ("80x24", "200x60"):
        mine = results.get("one-row scroll at %s: bytes" % size)
        theirs = results.get("tig: one-row scroll at %s: bytes" % size)
        if mine and theirs and theirs["value"] > 0:
            out["one-row scroll bytes / tig's at %s" % size] = (mine["value"] / theirs["value"], "ratio", 1 / 6.0)
    return out


def customer_urls(cid):
    return ["/v2/customers/%d?source=INSTORE&embed=points,mlp,expirySchedules&includedFraudDetails=true" % cid,
            "/v2/customers/%d/points/balance" % cid,
            "/v2/customers/%d/loyaltyEvents?offset=0&limit=10" % cid]


@bench
def slow_link(ctx):
    """The customer screen against a sandbox answering 100 ms late: from
    Enter on the search result to its last byte (its three requests in
    parallel), the same three requests one after another with curl (one
    process, one kept-alive connection), and the slowest of them alone."""
    n = ctx.runs(5, 2)
    sb = ctx.sandbox(latency=100)
    with ctx.console(80, 24, latency=100) as p:
        first_frame(p)
        p.send("Rao\r")
        p.wait_for(b"match 'Rao'")
        p.settle(500)
        screen = []
        for _ in range(n):
            mark = len(p.out)
            t0 = time.monotonic()
            p.send("\r")
            screen.append(p.until([b"Recent activity", b"Lifetime"], mark, t0, quiet_ms=400)[1])
            p.send("Esc")
            p.settle(500)
    urls = [sb.url + u for u in customer_urls(ASHA_ID)]
    seq, single = [], []
    for _ in range(n):
        got = curl_times(urls)
        if any(code != 200 for code, _ in got):
            raise RuntimeError("curl got %r" % got)
        seq.append(sum(t for _, t in got))
        single.append(max(curl_times([u])[0][1] for u in urls))
    ms = median(screen) * 1000
    slowest = median(single) * 1000
    for name in ("customer screen at --latency 100 (3 requests)", "curl, the same requests one after another",
                 "slowest single request (curl)"):
        ctx.notes[name] = "median of %d" % n
    return {
        "customer screen at --latency 100 (3 requests)": (ms, "ms", None),
        "curl, the same requests one after another": (median(seq) * 1000, "ms", None),
        "slowest single request (curl)": (slowest, "ms", None),
        "customer screen / slowest single request": (ms / slowest, "ratio", 1.3),
        "curl one after another / customer screen": (median(seq) * 1000 / ms, "ratio", None),
    }


@bench
def idle(ctx):
    """CPU time in 30 idle seconds (schedstat of every thread, ns
    resolution; the /proc/PID/stat ticks alongside), for three consoles
    side by side: the search screen, and the approval queue with automatic
    refresh off (refresh_interval = 0) and every 5 s."""
    secs = 10 if ctx.quick else 30
    off = ctx.config_file("refresh-off.conf", "refresh_interval = 0\n")
    on = ctx.config_file("refresh-on.conf", "refresh_interval = 5\n")
    consoles = [("search screen", None, False), ("approval queue, auto-refresh off", off, True),
                ("approval queue, auto-refresh every 5 s", on, True)]
    ps = []
    try:
        for label, conf, queue in consoles:
            args = ["--config", conf] if conf else []
            p = ctx.console(80, 24, user=SUPERVISOR, args=args)
            ps.append((label, p))
            first_frame(p)
            if queue:
                p.send(":requests\r")
                p.wait_for(b"as of")
            p.settle(6000 if queue else 500)  # past the status message's expiry too
        start = [(p.cpu_ms(), p.cpu_ticks_ms(), len(p.out)) for _, p in ps]
        end_at = time.monotonic() + secs
        while time.monotonic() < end_at:  # keep reading so no console blocks on a full terminal
            for _, p in ps:
                p._read(0.05)
        out = {}
        for (label, p), (cpu, ticks, nbytes) in zip(ps, start):
            name = "idle CPU in %d s, %s" % (secs, label)
            out[name] = ((p.cpu_ms() - cpu) * 30.0 / secs, "ms", 10 if "off" in label else None)
            out["idle CPU in %d s (stat ticks), %s" % (secs, label)] = ((p.cpu_ticks_ms() - ticks) * 30.0 / secs, "ms",
                                                                     None)
            out["bytes written in %d idle s, %s" % (secs, label)] = (len(p.out) - nbytes, "bytes", None)
    finally:
        for _, p in ps:
            p.close()
    return out


def pending_requests(sb):
    r = sb.get("/v1.1/request/get?format=json&status=PENDING&start_limit=0&limit=50", till=SUPERVISOR)
    lists = r.json()["response"]["requests"]
    return [x for v in lists.values() if isinstance(v, list) for x in v]


def generated_members(sb):
    """The customer ids of the generated members that exist."""
    ids = [GENERATED + k for k in range(0, 25)]
    return [i for i in ids if sb.get("/v2/customers/%d?source=INSTORE" % i).status == 200]


def prepare_requests(sb, count, tag):
    """Withdraws every pending request, then raises `count` goodwill points
    requests as the agent for the generated members, ten to a call (the
    API's batch limit)."""
    members = generated_members(sb)
    while True:
        old = pending_requests(sb)
        if not old:
            break
        for i in range(0, len(old), 10):
            items = [{"id": str(x["id"]), "type": x["type"], "base_type": x["base_type"],
                      "updated_comments": "bench reset"} for x in old[i:i + 10]]
            sb.post("/v1.1/request/reject?format=json", {"root": {"request": items}}, till=SUPERVISOR)
    ids = []
    for i in range(0, count, 10):
        items = [{"customer": {"id": str(members[k % len(members)])}, "reference_id": "bench-%s-%d" % (tag, k),
                  "type": "GOODWILL", "base_type": "POINTS", "points": "100", "reason": "POINTS_ISSUE",
                  "comments": "bench"} for k in range(i, min(i + 10, count))]
        r = sb.post("/v1.1/request/add?format=json", {"root": {"request": items}}, till=AGENT)
        got = r.json()["response"]["requests"]["request"]
        ids += [int(x["id"]) for x in got if x.get("item_status", {}).get("code") == 9100]
    if len(ids) != count:
        raise RuntimeError("raised %d of %d requests" % (len(ids), count))
    return ids


def approve_in_console(ctx, latency, count):
    sb = ctx.sandbox(latency)
    prepare_requests(sb, count, "console-%d" % latency)
    with ctx.console(80, 24, latency=latency, user=SUPERVISOR) as p:
        first_frame(p)
        p.send(":requests\r")
        p.wait_for(b"as of", timeout=30)
        p.settle(max(500, 4 * latency))
        p.send("*")
        p.settle(200)
        p.send("A")
        p.wait_for(b"pprove %d requests" % count)
        p.settle(200)
        p.send("y")
        p.wait_for(b"Comment")
        p.settle(200)
        mark = len(p.out)
        t0 = time.monotonic()
        p.send(CTRL_S)
        _, secs = p.until([b"Approved all %d requests" % count], mark, t0, quiet_ms=300, timeout=120)
    if pending_requests(sb):
        raise RuntimeError("requests still pending after the console's approval")
    return secs


def approve_with_curl(ctx, latency, count):
    sb = ctx.sandbox(latency)
    ids = prepare_requests(sb, count, "curl-%d" % latency)
    url = sb.url + "/v1.1/request/approve?format=json"
    bodies = [{"root": {"request": [{"id": str(i), "type": "GOODWILL", "base_type": "POINTS",
                                     "updated_comments": "bench"}]}} for i in ids]
    got = curl_times([url] * count, till=SUPERVISOR, data=bodies)
    if len(got) != count or any(code != 200 for code, _ in got) or pending_requests(sb):
        raise RuntimeError("curl's approvals did not all go through: %r" % got[:5])
    return sum(t for _, t in got)


@bench
def approvals(ctx):
    """Approving 50 marked requests: the console (mark all, A, y, Ctrl-S
    until "Approved all 50 requests"; one POST per request, all in flight
    within its 8 parallel transfers) against curl approving the same
    number one after another (one process, one kept-alive connection), on
    the plain sandbox and at --latency 100. One run each."""
    count = 50
    out = {}
    for latency in (0, 100):
        where = "--latency 100" if latency else "local sandbox"
        mine = approve_in_console(ctx, latency, count) * 1000
        seq = approve_with_curl(ctx, latency, count) * 1000
        out["approve 50 in the console, %s" % where] = (mine, "ms", None)
        out["approve 50 one after another (curl), %s" % where] = (seq, "ms", None)
        out["approvals: one after another / console, %s" % where] = (seq / mine, "ratio", None)
    return out


@bench
def memory(ctx):
    """Resident memory (VmRSS) of the console idle on the search screen,
    after opening a member (Asha: the customer screen's three answers), and
    after loading all of Meera's 106,613 ledger rows (`:export!` loads every
    page); plus the row store's own cost per row."""
    r = ctx.run_json(ctx.binary("tests", "bench", "bench_rows"))
    out = {
        "row store: bytes per loaded row (allocator)": (r["bytes_per_row"], "bytes", 200),
        "row store: RSS per loaded row": (r["rss_bytes_per_row"], "bytes", 200),
        "row store: fixed part of a row": (r["row_bytes"], "bytes", None),
    }
    idle, member, own, pss = [], [], [], []
    for _ in range(ctx.runs(3, 1)):
        with ctx.console(80, 24) as p:
            first_frame(p)
            p.settle(500)
            idle.append(p.rss_kb() / 1024.0)
            p.send("919845000001\r")
            p.wait_for(b"Recent activity")
            p.settle(800)
            member.append(p.rss_kb() / 1024.0)
            mem = p.memory_kb()
            own.append(mem["Anonymous"] / 1024.0)
            pss.append(mem["Pss"] / 1024.0)
    out["RSS idle (search screen)"] = (median(idle), "MiB", None)
    out["RSS after opening a member"] = (median(member), "MiB", 12)
    out["  of which the console's own (anonymous)"] = (median(own), "MiB", None)
    out["  PSS (shared library pages divided among users)"] = (median(pss), "MiB", None)
    for name in ("RSS idle (search screen)", "RSS after opening a member"):
        ctx.notes[name] = "median of %d consoles" % len(idle)
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
    out["RSS with all of Meera's ledger loaded"] = (after / 1024.0, "MiB", 40)
    out["console: RSS per loaded row (Meera, all rows)"] = ((after - before) * 1024.0 / grown, "bytes", 200)
    out["console: fetch and export all of Meera's ledger"] = (secs, "s", None)
    out["console: rows loaded"] = (rows, "rows", None)
    return out


def wrk_rps(url, till=AGENT, secs=5):
    out = subprocess.run(["wrk", "-t", "2", "-c", "16", "-d", "%ds" % secs, "--latency",
                          "-H", "Authorization: " + basic_auth(till), url],
                         check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError("wrk saw error answers:\n" + out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    return rps, float(p50.group(1)) * scale


@bench
def sandbox_load(ctx):
    """The sandbox under wrk: 16 connections, 2 threads, 5 s each, for a
    customer lookup by mobile and a 100-entry ledger page of Asha."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (tools/install-deps --bench)")
    sb = ctx.sandbox()
    secs = 2 if ctx.quick else 5
    lookup = (sb.url + "/v2/customers/lookup/customerDetails?source=INSTORE&identifierName=mobile"
              "&identifierValue=919845000001&embed=points,mlp,expirySchedules&includedFraudDetails=true")
    ledger = (sb.url + "/v2/pointsLedger/getCustomerLedgerInfo?source=INSTORE&identifierName=id"
              "&identifierValue=%d&isFilterBasedOnDate=false&offset=0&limit=100" % ASHA_ID)
    out = {}
    for label, url in (("customer lookup", lookup), ("ledger page (100 entries)", ledger)):
        rps, p50 = wrk_rps(url, secs=secs)
        out["sandbox: %s, 16 connections" % label] = (rps, "req/s", None)
        out["sandbox: %s, median latency" % label] = (p50, "ms", None)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, help="the CMake build directory")
    ap.add_argument("--only", nargs="*", help="benchmark names to run (default: all)")
    ap.add_argument("--quick", action="store_true", help="fewer runs, no whole-ledger load")
    args = ap.parse_args()
    ctx = Context(os.path.abspath(args.build), args.quick)
    results, broken = {}, []
    started = time.monotonic()
    try:
        for fn in BENCHES:
            if args.only and fn.__name__ not in args.only:
                continue
            t0 = time.monotonic()
            try:
                figures = fn(ctx)
            except Exception as e:  # a broken bench is reported, the rest still run
                print("%s: failed: %s: %s" % (fn.__name__, type(e).__name__, e), file=sys.stderr)
                broken.append(fn.__name__)
                continue
            for name, (value, unit, budget) in figures.items():
                results[name] = {"bench": fn.__name__, "value": round(float(value), 3), "unit": unit,
                                 "budget": budget}
            print("%s: %.1f s" % (fn.__name__, time.monotonic() - t0), file=sys.stderr)
    finally:
        ctx.close()
    for fn in DERIVED:
        for name, (value, unit, budget) in fn(results).items():
            results[name] = {"bench": fn.__name__, "value": round(float(value), 3), "unit": unit, "budget": budget}
    for name, note in ctx.notes.items():
        if name in results:
            results[name]["note"] = note
    load = os.getloadavg()
    width = max([len(k) for k in results] + [10])
    print("%-*s %12s %-6s %8s" % (width, "figure", "value", "unit", "budget"))
    print("-" * (width + 30))
    over = []
    for name, r in results.items():
        mark = ""
        if r["budget"] is not None:
            ok = r["value"] < r["budget"] or (r["unit"] == "ratio" and r["value"] <= r["budget"])
            if not ok:
                over.append(name)
            mark = "%8.4g %s" % (r["budget"], "ok" if ok else "OVER")
        print("%-*s %12.3f %-6s %s" % (width, name, r["value"], r["unit"], mark))
    print("(%d cores, load average %.2f %.2f %.2f at the end; %.0f s in all)"
          % (os.cpu_count(), load[0], load[1], load[2], time.monotonic() - started))
    outdir = os.path.join(ctx.build, "bench")
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cores": os.cpu_count(),
                   "load": load, "figures": results, "over_budget": over, "broken": broken}, f, indent=2)
    for name in over:
        print("bench: OVER budget: %s = %g %s (budget %g)" % (name, results[name]["value"], results[name]["unit"],
                                                            results[name]["budget"]), file=sys.stderr)
    for name in broken:
        print("bench: broken: %s (no figures)" % name, file=sys.stderr)
    return 1 if over or broken else 0


if __name__ == "__main__":
    sys.exit(main())
