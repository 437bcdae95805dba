"""Run a program in a pseudo-terminal and count what it writes.

    with Pty([binary, "--host", url, ...], cols=80, rows=24, env=env) as p:
        p.wait_for(b"Find member")          # output seen so far contains it
        p.send(b"919845000001\\r")
        p.settle()                          # until quiet for 150 ms
        n, secs = p.measure(b"\\x1b[B")      # bytes written for one key, and how long
        p.rss_kb(), p.memory_kb(), p.cpu_ms()  # the program's memory and CPU time

The window size is set on the terminal before the program starts (so its
first frame already has it) and can be changed later with resize(), which
sends SIGWINCH like a terminal emulator does. "Quiet" means no byte for
`quiet_ms`; measure() reports the bytes up to the last one and the time from
the key to the last byte, until() the same for an answer that must first
contain some text (a screen filled in by the server). The program is
started with posix_spawn, so `started` is when it began and the driver adds
almost nothing to a start-up time. Standard library only.
"""
import fcntl
import os
import select
import signal
import struct
import termios
import time

# What an xterm sends once a curses program has switched it to keypad
# ("application") mode, as every curses program with keypad() does.
KEYS = {
    "Up": b"\x1bOA", "Down": b"\x1bOB", "Right": b"\x1bOC", "Left": b"\x1bOD",
    "PgUp": b"\x1b[5~", "PgDn": b"\x1b[6~", "Home": b"\x1bOH", "End": b"\x1bOF",
    "Enter": b"\r", "Esc": b"\x1b", "Tab": b"\t",
}


class Pty:
    def __init__(self, argv, cols=80, rows=24, env=None):
        self.cols, self.rows = cols, rows
        # posix_spawn (a vfork underneath) rather than fork: forking this
        # interpreter costs more than the console's own start, and that is
        # not what is measured. The child becomes a session leader and opens
        # the terminal first, so it is its controlling terminal.
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.ttyname(slave), os.O_RDWR, 0),
                   (os.POSIX_SPAWN_DUP2, 0, 1), (os.POSIX_SPAWN_DUP2, 0, 2)]
        self.started = time.monotonic()
        try:
            self.pid = os.posix_spawn(argv[0], argv, env if env is not None else os.environ,
                                      file_actions=actions, setsid=True)
        finally:
            os.close(slave)
        self.fd = master
        self.out = bytearray()   # everything written so far
        self.done = False

    # reading

    def _read(self, timeout):
        """Reads what is available within timeout seconds; returns the bytes."""
        if self.done:
            return b""
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return b""
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            self.done = True
        self.out += data
        return data

    def wait_for(self, needle, timeout=15.0):
        """Reads until the whole output contains needle (bytes)."""
        deadline = time.monotonic() + timeout
        while needle not in self.out:
            if time.monotonic() > deadline or self.done:
                tail = bytes(self.out[-600:])
                raise TimeoutError("no %r in the output; last bytes: %r" % (needle, tail))
            self._read(deadline - time.monotonic())

    def settle(self, quiet_ms=150, timeout=15.0, start=None):
        """Reads until nothing arrives for quiet_ms; returns (bytes, seconds from start,
        default now, to the last byte)."""
        if start is None:
            start = time.monotonic()
        deadline = time.monotonic() + timeout
        got = bytearray()
        last = start
        while time.monotonic() < deadline:
            data = self._read(quiet_ms / 1000.0)
            if not data:
                break
            got += data
            last = time.monotonic()
        return bytes(got), last - start

    def until(self, needles, since, start, quiet_ms=150, timeout=30.0):
        """Reads until every needle (bytes) is in the output after offset since,
        then until quiet; returns (bytes after since, seconds from start to the
        last byte)."""
        deadline = time.monotonic() + timeout
        last = start
        while not all(n in self.out[since:] for n in needles):
            if time.monotonic() > deadline or self.done:
                tail = bytes(self.out[-600:])
                raise TimeoutError("no %r in the output; last bytes: %r" % (needles, tail))
            if self._read(deadline - time.monotonic()):
                last = time.monotonic()
        _, secs = self.settle(quiet_ms, start=last)
        return len(self.out) - since, last + secs - start

    # writing

    def send(self, data):
        if isinstance(data, str):
            data = KEYS.get(data, data.encode("utf-8"))
        os.write(self.fd, data)

    def measure(self, key, quiet_ms=150):
        """Sends key and returns (bytes written in answer, seconds to the last byte)."""
        self.settle(quiet_ms)
        t0 = time.monotonic()
        self.send(key)
        data, secs = self.settle(quiet_ms, start=t0)
        return len(data), secs

    def resize(self, cols, rows):
        self.cols, self.rows = cols, rows
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.kill(self.pid, signal.SIGWINCH)

    # the process

    def rss_kb(self):
        """VmRSS of the program in kB (from /proc), or None."""
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def memory_kb(self):
        """Rss, Pss (shared pages divided among their users) and Anonymous
        (the program's own heap and stacks) in kB, from smaps_rollup."""
        out = {}
        with open("/proc/%d/smaps_rollup" % self.pid) as f:
            for line in f:
                parts = line.split()
                if parts and parts[0] in ("Rss:", "Pss:", "Anonymous:"):
                    out[parts[0][:-1]] = int(parts[1])
        return out

    def cpu_ms(self):
        """CPU time of every thread of the program so far, in ms, from
        /proc/PID/task/*/schedstat (nanoseconds; utime+stime in /proc/PID/stat
        count in whole clock ticks, 10 ms, too coarse for an idle figure)."""
        total = 0
        base = "/proc/%d/task" % self.pid
        for tid in os.listdir(base):
            try:
                with open(os.path.join(base, tid, "schedstat")) as f:
                    total += int(f.read().split()[0])
            except OSError:
                pass  # a thread that ended meanwhile
        return total / 1e6

    def cpu_ticks_ms(self):
        """utime+stime of /proc/PID/stat (live threads and ended ones), in ms."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")

    def close(self):
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                self._read(0.05)
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0
        try:
            os.close(self.fd)
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
