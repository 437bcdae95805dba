/*
 * url.c - percent-encoding of query values.
 *
 * Our own encoder rather than curl_easy_escape: builders run on the UI
 * thread, which never touches libcurl (STYLE.md §5), and they must be pure.
 * Everything outside the RFC 3986 unreserved set is encoded, so "+91...",
 * "a&b=c" and UTF-8 names cannot change the query's structure.
 */
#include <string.h>

#include "api/internal.h"

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

char *api_url_encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s)
        s = "";
    size_t len = strlen(s);
    char *out = api_xmalloc(len * 3 + 1);
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (unreserved(*p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}
