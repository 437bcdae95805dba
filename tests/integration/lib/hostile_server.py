#!/usr/bin/env python3
"""A deliberately hostile HTTP server for the network-fault and terminal
safety tests. Standard library only; it listens on loopback addresses only.

usage: hostile_server.py [--port N] [--fault NAME] [--text] [--tls]
                         [--record FILE] [--stall-limit S]

It prints, one per line, before it serves anything:

    listening on http://127.0.0.1:PORT     the main host
    other on http://127.0.0.2:PORT         "another host", the redirect target
    tls on https://127.0.0.1:PORT          (--tls) a TLS listener whose
                                           certificate names other.example only

What a request gets:
  * a path starting /fault/NAME gets that fault, whatever the flags;
  * otherwise --fault NAME applies to every request on the main host;
  * otherwise POST /v3/oauth/token/generate gets a valid token;
  * otherwise --text serves the hostile member data below;
  * otherwise a plain, valid points balance.

Faults:
  ok                  a valid balance
  close-mid-body      Content-Length 4096, 15 bytes of body, then the socket closes
  stall-after-headers headers (Content-Length 100), then nothing, ever
  huge-length         Content-Length: 2147483648 and zeros for as long as the client reads
  endless-chunked     chunked zeros without end (no length to refuse up front)
  bad-gzip            Content-Encoding: gzip over bytes that do not inflate
  gzip-bomb           valid gzip that inflates to 64 MiB
  redirect            302 to the same path on the other host
  redirect-307        the same with 307 (method and body kept)

Every request on every listener, and every failed TLS handshake, is
appended to the --record file as one JSON object per line:
{"listener": "main"|"other"|"tls", "method", "path", "authorization": bool,
"oauth_token": bool} or {"listener": "tls", "handshake": "failed: ..."}.
Streams (huge-length, endless-chunked) stop when the client hangs up or
after 4 GiB; a stalled connection is held until the client hangs up or
--stall-limit seconds (default 600) have passed.

--text answers the console's customer lookup, search, get, balance and
events calls with names, emails, tiers and error messages full of escape
sequences (CSI, OSC title, OSC 52 clipboard, DCS, tmux passthrough), C0
and C1 controls, bidi overrides, and 10,000-character strings; lookups of
some identifiers answer with a hostile error message or a raw, invalid
UTF-8 body (see HOSTILE_* below).
"""
import argparse
import gzip
import json
import os
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

STREAM_CAP = 4 << 30

# Text a terminal would act on if it were written raw.
PAYLOADS = {
    "csi": "\x1b[2J\x1b[H\x1b[5m\x1b[8m\x1b[38;2;255;0;0mMallory",
    "title": "\x1b]0;PWNED\x07\x1b]2;PWNED\x1b\\Eve",
    "osc52": "\x1b]52;c;cHduZWQ=\x07clip@example.com",
    "dcs": "\x1bP+q544e\x1b\\\x1bPtmux;\x1b\x1b]0;PWNED\x07\x1b\\Dcs",
    "c0c1": "\x07\x08\x0d\x7f\u0085\u009b31m\u009d0;PWNED\u009cCtl",
    "bidi": "\u202eevil\u202c\u2066x\u2069\u200fBidi",
    "long": "L" * 10000,
    "widelong": "\u6f22" * 10000,
}
HOSTILE_MOBILE = "919800000666"     # lookup: a member made of PAYLOADS
HOSTILE_ERROR = "error@hostile.example"   # lookup 404, then search 400: a hostile message
HOSTILE_RAW = "raw@hostile.example"       # lookup: 200 with a raw non-JSON body
RAW_BODY = (b"\x1b[2J\x1b]0;PWNED\x07\x1b]52;c;cHduZWQ=\x07\xff\xfe\xc3\x28"
            b"\x9b31m\xe2\x80\xae not json at all")
ERROR_MESSAGE = ("\x1b]0;PWNED\x07\x1b[2J\x1b[41mCustomer \u009b31m not found " + "E" * 10000)


def hostile_customer(cid):
    return {
        "id": cid,
        "profiles": [{
            "firstName": PAYLOADS["csi"],
            "lastName": PAYLOADS["title"],
            "identifiers": [
                {"type": "mobile", "value": HOSTILE_MOBILE},
                {"type": "email", "value": PAYLOADS["osc52"]},
                {"type": "externalId", "value": PAYLOADS["dcs"]},
                {"type": "cardnumber", "value": PAYLOADS["c0c1"]},
            ],
            "source": PAYLOADS["bidi"],
            "attribution": {"createDate": PAYLOADS["long"],
                            "createdBy": {"code": PAYLOADS["widelong"]}},
        }],
        "loyaltyInfo": {"loyaltyType": PAYLOADS["title"], "lifetimePurchases": 1.0},
        "fraudDetails": {"status": PAYLOADS["c0c1"]},
        "loyaltyProgramDetails": [{
            "loyaltyPoints": 666.0, "lifetimePoints": 1000.0, "redeemed": 1.0,
            "expired": 0.0, "currentSlab": PAYLOADS["bidi"], "nextSlab": PAYLOADS["long"],
            "slabSNo": 1, "nextSlabSerialNumber": 2, "slabExpiryDate": PAYLOADS["dcs"],
            "programTitle": PAYLOADS["widelong"],
        }],
        "expirySchedules": [{"points": 10.0, "expiryDate": PAYLOADS["csi"]}],
        "warnings": [],
    }


def hostile_search(q):
    names = list(PAYLOADS)
    data = []
    for i, key in enumerate(names):
        data.append({
            "userId": 1001 + i,
            "matchedIdentifiers": [{"idType": "firstName", "idValue": PAYLOADS[key],
                                    "source": "INSTORE"}],
            "profiles": [{"source": "INSTORE", "firstName": PAYLOADS[key],
                          "lastName": "Row%d" % i,
                          "identifiers": [{"type": "email", "value": PAYLOADS["osc52"]}]}],
        })
    return {"pagination": {"limit": 20, "offset": 0, "total": len(data)}, "data": data,
            "warnings": [], "errors": []}


def hostile_events():
    return {"data": [
        {"id": 1 + i, "customerId": 666, "eventName": PAYLOADS[k], "date": PAYLOADS["csi"],
         "status": PAYLOADS["title"]} for i, k in enumerate(PAYLOADS)], "warnings": []}


BALANCE = {"entityId": 666, "totalPoints": 666.0, "mainPoints": 666.0,
           "promisedPoints": 0.0, "warnings": []}


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.other_url = ""
        self.stop = threading.Event()

    def record(self, entry):
        if not self.args.record:
            return
        with self.lock, open(self.args.record, "a") as f:
            f.write(json.dumps(entry) + "\n")


def make_handler(state, listener, tls_ctx=None):
    class Handler(socketserver.BaseRequestHandler):
        def setup(self):
            self.sock = self.request
            self.sock.settimeout(30)

        def send(self, data):
            try:
                self.sock.sendall(data)
                return True
            except OSError:
                return False

        def head(self, status, reason, headers, length=None):
            lines = ["HTTP/1.1 %d %s" % (status, reason)]
            lines += ["%s: %s" % kv for kv in headers]
            if length is not None:
                lines.append("Content-Length: %d" % length)
            lines.append("Connection: close")
            return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

        def reply(self, status, body, ctype="application/json", extra=()):
            if not isinstance(body, (bytes, bytearray)):
                body = json.dumps(body, ensure_ascii=True).encode()
            if self.head(status, "X", [("Content-Type", ctype)] + list(extra), len(body)):
                self.send(body)

        def read_request(self):
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return None
                buf += chunk
                if len(buf) > 1 << 20:
                    return None
            headpart, _, rest = buf.partition(b"\r\n\r\n")
            lines = headpart.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) < 2:
                return None
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            want = int(headers.get("content-length", "0") or 0)
            while len(rest) < want:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
            return parts[0], parts[1], headers, rest

        def handle(self):
            if tls_ctx is not None:
                try:
                    self.sock = tls_ctx.wrap_socket(self.request, server_side=True)
                except (ssl.SSLError, OSError) as e:
                    state.record({"listener": listener, "handshake": "failed: %s" % e})
                    return
            try:
                req = self.read_request()
            except OSError:
                return
            if not req:
                return
            method, target, headers, _ = req
            state.record({"listener": listener, "method": method, "path": target,
                          "authorization": "authorization" in headers,
                          "oauth_token": "x-cap-api-oauth-token" in headers})
            path = urllib.parse.urlsplit(target).path
            if path.startswith("/fault/"):
                self.fault(path.split("/")[2], target)
            elif path == "/v3/oauth/token/generate" and not state.args.fault:
                self.reply(200, {"data": {"accessToken": "hostile-token-1", "ttlSeconds": 3600},
                                 "errors": None})
            elif listener != "other" and state.args.fault:
                self.fault(state.args.fault, target)
            elif state.args.text and listener != "other":
                self.text(target)
            else:
                self.reply(200, BALANCE)

        # Faults

        def stream(self, chunked):
            zeros = b"\0" * 65536
            sent = 0
            while sent < STREAM_CAP and not state.stop.is_set():
                data = zeros
                if chunked:
                    data = b"10000\r\n" + zeros + b"\r\n"
                if not self.send(data):
                    return
                sent += len(zeros)

        def fault(self, name, target):
            if name == "ok":
                self.reply(200, BALANCE)
            elif name == "close-mid-body":
                if self.head(200, "OK", [("Content-Type", "application/json")], 4096):
                    self.send(b'{"entityId": 1,')
                try:
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            elif name == "stall-after-headers":
                self.head(200, "OK", [("Content-Type", "application/json")], 100)
                # Hold the connection until the client gives up (its read
                # returns nothing) or the limit passes.
                self.sock.settimeout(1)
                end = time.time() + state.args.stall_limit
                while time.time() < end and not state.stop.is_set():
                    try:
                        if not self.sock.recv(4096):
                            return
                    except socket.timeout:
                        continue
                    except OSError:
                        return
            elif name == "huge-length":
                if self.head(200, "OK", [("Content-Type", "application/json")], 2 << 30):
                    self.stream(False)
            elif name == "endless-chunked":
                if self.head(200, "OK", [("Content-Type", "application/json"),
                                         ("Transfer-Encoding", "chunked")]):
                    self.stream(True)
            elif name == "bad-gzip":
                body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + os.urandom(2048)
                self.reply(200, body, extra=[("Content-Encoding", "gzip")])
            elif name == "gzip-bomb":
                self.reply(200, bomb(), extra=[("Content-Encoding", "gzip")])
            elif name in ("redirect", "redirect-307"):
                code = 302 if name == "redirect" else 307
                loc = state.other_url + target
                self.reply(code, b"", extra=[("Location", loc)])
            else:
                self.reply(404, {"errors": [{"code": 404, "message": "no such fault"}]})

        # Hostile member data

        def text(self, target):
            u = urllib.parse.urlsplit(target)
            q = urllib.parse.parse_qs(u.query)
            parts = [p for p in u.path.split("/") if p]
            if u.path == "/v2/customers/lookup/customerDetails":
                value = (q.get("identifierValue") or [""])[0]
                if value == HOSTILE_MOBILE:
                    self.reply(200, hostile_customer(666))
                elif value == HOSTILE_ERROR:
                    self.reply(404, {"errors": [{"status": False, "code": 8015,
                                                 "message": ERROR_MESSAGE}], "warnings": []})
                elif value == HOSTILE_RAW:
                    self.reply(200, RAW_BODY)
                else:
                    self.reply(404, {"errors": [{"status": False, "code": 8015, "message":
                                                 "Customer not found for the given identifiers"}]})
            elif u.path == "/v2/customers/search":
                query = (q.get("q") or [""])[0]
                if query == HOSTILE_ERROR:
                    self.reply(400, {"errors": [{"status": False, "code": 8013,
                                                 "message": ERROR_MESSAGE}], "warnings": []})
                else:
                    self.reply(200, hostile_search(query))
            elif len(parts) == 3 and parts[:2] == ["v2", "customers"] and parts[2].isdigit():
                self.reply(200, hostile_customer(int(parts[2])))
            elif len(parts) == 5 and parts[3:] == ["points", "balance"]:
                self.reply(200, BALANCE)
            elif len(parts) == 4 and parts[3] == "loyaltyEvents":
                self.reply(200, hostile_events())
            else:
                self.reply(404, {"errors": [{"code": 404, "message": "no route"}]})

    return Handler


_bomb = []
_bomb_lock = threading.Lock()


def bomb():
    """64 MiB of JSON that gzip packs into some 64 KiB (made once)."""
    with _bomb_lock:
        if not _bomb:
            _bomb.append(gzip.compress(b'{"a":"' + b" " * (64 << 20) + b'"}', 6))
        return _bomb[0]


class HostileServer:
    """Runs this script as a child process, for tests written in Python:

        with HostileServer("--text") as hs:
            hs.url, hs.other, hs.tls, hs.requests()
    """

    def __init__(self, *flags):
        self.flags = list(flags)
        self.proc = None
        self.dir = None
        self.url = self.other = self.tls = None

    def start(self, timeout=30):
        self.dir = tempfile.mkdtemp(prefix="mc-hostile-test-")
        self.record = os.path.join(self.dir, "record.jsonl")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--record", self.record] + self.flags,
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        want = 3 if "--tls" in self.flags else 2
        end = time.time() + timeout
        got = []
        while len(got) < want and time.time() < end:
            line = self.proc.stdout.readline()
            if not line:
                break
            got.append(line.strip())
        for line in got:
            for prefix, attr in (("listening on ", "url"), ("other on ", "other"),
                                 ("tls on ", "tls")):
                if line.startswith(prefix):
                    setattr(self, attr, line[len(prefix):])
        if not self.url:
            self.stop()
            raise RuntimeError("the hostile server did not start: %r" % got)
        return self

    def requests(self):
        try:
            with open(self.record) as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def make_cert(tmp):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=other.example",
                    "-addext", "subjectAltName=DNS:other.example"],
                   check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def serve(addr, handler):
    srv = Server((addr, 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fault")
    ap.add_argument("--text", action="store_true")
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--record")
    ap.add_argument("--stall-limit", type=float, default=600)
    args = ap.parse_args()
    state = State(args)

    bomb()  # made before serving, so that no request waits for it
    other = serve("127.0.0.2", make_handler(state, "other"))
    state.other_url = "http://127.0.0.2:%d" % other.server_address[1]
    main_srv = Server(("127.0.0.1", args.port), make_handler(state, "main"))
    threading.Thread(target=main_srv.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp(prefix="mc-hostile-")
    lines = ["listening on http://127.0.0.1:%d" % main_srv.server_address[1],
             "other on " + state.other_url]
    try:
        if args.tls:
            tls = serve("127.0.0.1", make_handler(state, "tls", make_cert(tmp)))
            lines.append("tls on https://127.0.0.1:%d" % tls.server_address[1])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()

    done = threading.Event()
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, lambda *_: done.set())
    done.wait()
    state.stop.set()


if __name__ == "__main__":
    main()
