"""A loopback TCP relay that counts the bytes going each way.

Put it between an ssh client and sshd to see what a session costs on the
wire: everything the client sends (`up`) and everything the server sends
(`down`), SSH framing, encryption and key exchange included (TCP/IP headers
are not). Standard library only.

As a module:

    with Relay(target_port) as relay:
        ... connect to relay.port ...
        up, down = relay.counts()

As a script, it runs until SIGINT/SIGTERM and then prints the totals:

    python3 ssh_bytecount.py --target 2222 [--listen 0]
"""
import argparse
import signal
import socket
import sys
import threading
import time


class Relay:
    def __init__(self, target_port, target_host="127.0.0.1", listen_port=0):
        self.target = (target_host, target_port)
        self._lock = threading.Lock()
        self._up = 0
        self._down = 0
        self._last = time.monotonic()
        self._conns = []
        self._closing = False
        self._srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._srv.bind(("127.0.0.1", listen_port))
        self._srv.listen(16)
        self.port = self._srv.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def counts(self):
        """(bytes client->server, bytes server->client) so far."""
        with self._lock:
            return self._up, self._down

    def reset(self):
        with self._lock:
            self._up = self._down = 0

    def idle_for(self):
        """Seconds since the last byte went either way."""
        with self._lock:
            return time.monotonic() - self._last

    def settle(self, quiet=0.4, timeout=10.0):
        """Waits until no byte has moved for `quiet` seconds; returns counts()."""
        deadline = time.monotonic() + timeout
        while self.idle_for() < quiet:
            if time.monotonic() > deadline:
                raise AssertionError("the link never went quiet for %.1fs" % quiet)
            time.sleep(0.05)
        return self.counts()

    def _accept_loop(self):
        while True:
            try:
                client, _ = self._srv.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._closing:
                    client.close()
                    server.close()
                    return
                pair = [client, server, 2]  # the two sockets, pumps still running
                self._conns.append(pair)
            threading.Thread(target=self._pump, args=(client, server, True, pair), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False, pair), daemon=True).start()

    def _pump(self, src, dst, up, pair):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self._lock:
                    if up:
                        self._up += len(data)
                    else:
                        self._down += len(data)
                    self._last = time.monotonic()
                dst.sendall(data)
        except OSError:
            pass
        finally:
            # pass the half-close on, so each side sees the other's EOF
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            with self._lock:
                pair[2] -= 1
                last = pair[2] == 0
                if last and pair in self._conns:
                    self._conns.remove(pair)
            if last:
                src.close()
                dst.close()

    def close(self):
        with self._lock:
            self._closing = True
            conns = list(self._conns)
        try:
            self._srv.close()
        except OSError:
            pass
        for pair in conns:
            for s in pair[:2]:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", type=int, required=True, help="port of the server (sshd) on 127.0.0.1")
    ap.add_argument("--listen", type=int, default=0, help="port to listen on (default: any free one)")
    args = ap.parse_args(argv)
    relay = Relay(args.target, listen_port=args.listen)
    print("relaying 127.0.0.1:%d -> 127.0.0.1:%d" % (relay.port, args.target), flush=True)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    up, down = relay.counts()
    relay.close()
    print("up %d bytes (client to server), down %d bytes (server to client)" % (up, down))
    return 0


if __name__ == "__main__":
    sys.exit(main())
