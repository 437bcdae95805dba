/*
 * keys.c - key names <-> key codes.
 *
 * The names are what users write in key files and what the help overlay
 * shows, so parsing and naming are exact inverses for every bindable key.
 * A terminal cannot tell C-h from Backspace, C-i from Tab or C-m/C-j from
 * Enter, so those control codes have one canonical key each and the names
 * follow the key people think they pressed.
 */
#include "keymaps/keymap.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct key_name_entry {
    const char *name;
    int key;
};

/* Canonical names first: key_to_name() returns the first match. */
static const struct key_name_entry named_keys[] = {
    {"Space", ' '},
    {"Hash", '#'}, /* `#` starts a comment in key files */
    {"Enter", MC_KEY_ENTER},
    {"Esc", MC_KEY_ESC},
    {"Tab", MC_KEY_TAB},
    {"S-Tab", MC_KEY_BTAB},
    {"Backspace", MC_KEY_BACKSPACE},
    {"Delete", MC_KEY_DELETE},
    {"Insert", MC_KEY_INSERT},
    {"Up", MC_KEY_UP},
    {"Down", MC_KEY_DOWN},
    {"Left", MC_KEY_LEFT},
    {"Right", MC_KEY_RIGHT},
    {"Home", MC_KEY_HOME},
    {"End", MC_KEY_END},
    {"PgUp", MC_KEY_PGUP},
    {"PgDn", MC_KEY_PGDN},
    /* Aliases accepted in key files. */
    {"Return", MC_KEY_ENTER},
    {"Escape", MC_KEY_ESC},
    {"BackTab", MC_KEY_BTAB},
    {"Del", MC_KEY_DELETE},
    {"Ins", MC_KEY_INSERT},
    {"PageUp", MC_KEY_PGUP},
    {"PageDown", MC_KEY_PGDN},
};

int key_canonical(int key)
{
    switch (key) {
    case 8:
    case 127:
        return MC_KEY_BACKSPACE;
    case 9:
        return MC_KEY_TAB;
    case 10:
    case 13:
        return MC_KEY_ENTER;
    case 27:
        return MC_KEY_ESC;
    default:
        return key;
    }
}

/* Strict UTF-8: one whole code point, no overlongs, no surrogates. Kept
 * here rather than shared with tui/text.c because keymaps sits below tui. */
static int decode_one(const unsigned char *s, size_t n)
{
    unsigned cp;
    size_t len;
    unsigned min;

    if (n == 0)
        return -1;
    if (s[0] < 0x80)
        return n == 1 ? s[0] : -1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
        cp = s[0] & 0x1Fu;
        min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        cp = s[0] & 0x0Fu;
        min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        cp = s[0] & 0x07u;
        min = 0x10000;
    } else {
        return -1;
    }
    if (n != len)
        return -1;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    return (int)cp;
}

static bool key_is_text(int key)
{
    if (key <= ' ' || key == 127 || key >= MC_KEY_BASE)
        return false;
    if (key >= 0x80 && key <= 0x9F)
        return false;
    return !(key >= 0xD800 && key <= 0xDFFF);
}

int key_parse(const char *name)
{
    size_t len;

    if (!name || !*name)
        return -1;
    len = strlen(name);

    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (strcasecmp(name, named_keys[i].name) == 0)
            return named_keys[i].key;

    /* Function keys: F1..F12 */
    if ((name[0] == 'F' || name[0] == 'f') && len >= 2 && len <= 3) {
        int n = 0;
        for (size_t i = 1; i < len; i++) {
            if (name[i] < '0' || name[i] > '9')
                return -1;
            n = n * 10 + (name[i] - '0');
        }
        if (name[1] == '0' || n < 1 || n > 12)
            return -1;
        return MC_KEY_F1 + n - 1;
    }

    /* Control keys: C-a..C-z, and C-@ C-\ C-] C-^ C-_ for the rest of C0. */
    if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
        char c = name[2];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || c == '@' || c == '\\' || c == ']' || c == '^' ||
            c == '_')
            return key_canonical(MC_KEY_CTRL(c));
        return -1;
    }

    {
        int cp = decode_one((const unsigned char *)name, len);
        if (cp == ' ')
            return ' ';
        if (cp < 0 || !key_is_text(cp))
            return -1;
        return cp;
    }
}

static size_t encode_utf8(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

const char *key_to_name(int key, char *buf, size_t n)
{
    char tmp[16];

    if (!buf || n == 0)
        return "";
    key = key_canonical(key);

    if (key == '#') {
        /* Shown as itself: the help overlay is read, not parsed. */
        snprintf(buf, n, "#");
        return buf;
    }
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++) {
        if (named_keys[i].key == key) {
            snprintf(buf, n, "%s", named_keys[i].name);
            return buf;
        }
    }
    if (key >= MC_KEY_F1 && key <= MC_KEY_F12) {
        snprintf(buf, n, "F%d", key - MC_KEY_F1 + 1);
        return buf;
    }
    if (key >= 0 && key < 32) {
        snprintf(buf, n, "C-%c", key == 0 ? '@' : key <= 26 ? 'a' + key - 1 : '@' + key);
        return buf;
    }
    if (key_is_text(key)) {
        size_t len = encode_utf8((unsigned)key, tmp);
        if (len < n) {
            memcpy(buf, tmp, len);
            buf[len] = '\0';
        } else {
            buf[0] = '\0';
        }
        return buf;
    }
    /* Not bindable (resize, mouse, C1, out of range): a name that key_parse
     * rejects, so it can never be mistaken for a real binding. */
    snprintf(buf, n, "<%#x>", (unsigned)key);
    return buf;
}
