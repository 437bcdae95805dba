#!/usr/bin/env python3
"""jobctl.py PROGRAM [ARGS...]: run a program as a shell with job control
would run a foreground job.

The program gets a process group of its own and the terminal's foreground;
this process waits for it through stops and exits with its status (128 + N
for a signal). Its group is then not orphaned, so the stop signals (C-z,
SIGTSTP) stop it as they would under an interactive shell; a test resumes
it with SIGCONT where a person would type `fg`. The terminal is never
taken back while the job is stopped, so the job can repaint as soon as it
continues.
"""
import os
import signal
import sys


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: jobctl.py PROGRAM [ARGS...]\n")
        return 2
    tty = os.open("/dev/tty", os.O_RDWR)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        os.tcsetpgrp(tty, os.getpgrp())
        os.close(tty)
        signal.signal(signal.SIGTTOU, signal.SIG_DFL)
        try:
            os.execvp(sys.argv[1], sys.argv[1:])
        finally:
            os._exit(127)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass  # the child got there first
    while True:
        _, status = os.waitpid(pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            break
    os.tcsetpgrp(tty, os.getpgrp())
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
