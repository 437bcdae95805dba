/*
 * secret.c - passwords and client secrets: from the environment, a
 * command, or an echo-off prompt; never from argv, never left behind.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "tui/secret.h"

void secret_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

void secret_protect_process(void)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    prctl(PR_SET_DUMPABLE, 0);
}

static void chomp(char *s)
{
    s[strcspn(s, "\r\n")] = '\0';
}

static int from_command(const char *command, char *buf, size_t n, char *err, size_t errsz)
{
    int out[2];
    if (pipe(out) != 0) {
        snprintf(err, errsz, "password_command: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(out[0]);
        close(out[1]);
        snprintf(err, errsz, "password_command: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    size_t len = 0;
    ssize_t r;
    while (len + 1 < n && (r = read(out[0], buf + len, n - 1 - len)) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        len += (size_t)r;
    }
    buf[len] = '\0';
    close(out[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    chomp(buf);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !buf[0]) {
        secret_wipe(buf, n);
        snprintf(err, errsz, "password_command failed (exit status %d) or printed nothing",
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return -1;
    }
    return 0;
}

static int from_prompt(const char *prompt, char *buf, size_t n, char *err, size_t errsz)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errsz, "no password given and no terminal to ask on "
                             "(set MEMBERCARE_PASSWORD or password_command)");
        return -1;
    }
    struct termios old, quiet;
    bool have_tio = tcgetattr(fd, &old) == 0;
    if (have_tio) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    (void)!write(fd, prompt, strlen(prompt));
    size_t len = 0;
    char c;
    while (len + 1 < n) {
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || c == '\n' || c == '\r')
            break;
        buf[len++] = c;
    }
    buf[len] = '\0';
    (void)!write(fd, "\n", 1);
    if (have_tio)
        tcsetattr(fd, TCSAFLUSH, &old);
    close(fd);
    if (!buf[0]) {
        snprintf(err, errsz, "no password given");
        return -1;
    }
    return 0;
}

int secret_get(const char *env_name, const char *command, const char *prompt, char *buf,
               size_t n, char *err, size_t errsz)
{
    const char *env = getenv(env_name);
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        /* wipe the environment copy too, then drop the variable */
        secret_wipe((char *)env, strlen(env));
        unsetenv(env_name);
        return 0;
    }
    if (command && *command)
        return from_command(command, buf, n, err, errsz);
    return from_prompt(prompt, buf, n, err, errsz);
}
