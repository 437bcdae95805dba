/*
 * host.c - which server addresses the console may talk to.
 *
 * https:// anywhere; plain http:// only to this machine, where nobody can
 * listen in on the till's credentials. The host is parsed, not matched by
 * prefix: "http://127.0.0.1@elsewhere", "http://localhost.example" and
 * "http://127.0.0.1.example" name other machines.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"

/* A dotted IPv4 address of four decimal parts, 0..255 each, in 127.0.0.0/8.
 * A part with a leading zero is refused: resolvers read "0127" as octal. */
static bool ipv4_loopback(const char *h, size_t len)
{
    int parts = 0, value = -1, first = -1;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? h[i] : '.';
        if (c >= '0' && c <= '9') {
            if (value == 0)
                return false;
            value = (value < 0 ? 0 : value * 10) + (c - '0');
            if (value > 255)
                return false;
        } else if (c == '.' && value >= 0) {
            if (parts == 0)
                first = value;
            parts++;
            value = -1;
        } else {
            return false;
        }
    }
    return parts == 4 && first == 127;
}

static bool loopback_host(const char *host, size_t len)
{
    if (len == 9 && strncmp(host, "localhost", 9) == 0)
        return true;
    if (len == 5 && strncmp(host, "[::1]", 5) == 0)
        return true;
    return ipv4_loopback(host, len);
}

bool api_host_allowed(const char *url, char *err, size_t errlen)
{
    if (!url)
        url = "";
    if (strncmp(url, "https://", 8) == 0)
        return true;
    if (strncmp(url, "http://", 7) != 0) {
        snprintf(err, errlen, "the host must be an https:// URL, not '%.80s'", url);
        return false;
    }
    const char *authority = url + 7;
    size_t alen = strcspn(authority, "/?#");
    size_t hlen = alen;
    if (authority[0] == '[') {
        const char *close = memchr(authority, ']', alen);
        hlen = close ? (size_t)(close - authority) + 1 : alen;
    } else {
        const char *colon = memchr(authority, ':', alen);
        if (colon)
            hlen = (size_t)(colon - authority);
    }
    bool port_ok = true;
    if (hlen < alen) {
        /* what follows the host may only be ":PORT" */
        port_ok = authority[hlen] == ':' && hlen + 1 < alen;
        for (size_t i = hlen + 1; port_ok && i < alen; i++)
            port_ok = authority[i] >= '0' && authority[i] <= '9';
    }
    if (port_ok && loopback_host(authority, hlen))
        return true;
    snprintf(err, errlen, "refusing plain http:// to %.80s: use https:// (http is only for loopback)", url);
    return false;
}
