/*
 * text.c - sanitising untrusted text and laying it out in columns.
 *
 * Every string from the server or a file reaches the screen through
 * text_fit(). It decodes strictly, maps anything that could move the
 * cursor, change the terminal's state or reorder the line (controls,
 * escape sequences, bidi overrides, invisible format characters, invalid
 * bytes) to a visible placeholder, and measures the result with our own
 * width tables rather than wcwidth(), whose answers change with the locale
 * and the C library.
 */
#include "tui/text.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CP_REPLACEMENT 0xFFFDu
#define CP_ELLIPSIS "\xE2\x80\xA6"

struct cp_range {
    unsigned lo, hi;
};

/* Generated from Unicode 14.0 data: General_Category Mn and Me, plus the
 * zero-width spaces and joiners (U+200B..U+200F), invisible operators
 * (U+2060..U+2064), U+FEFF, Hangul conjoining medial and final jamo, and
 * tags. Neighbouring ranges separated only by unassigned code points are
 * merged to keep the table short. */
static const struct cp_range zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},
    {0x05C1, 0x05C2}, {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC}, {0x06DF, 0x06E4},
    {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0711, 0x0711}, {0x0730, 0x074A},
    {0x07A6, 0x07B0}, {0x07EB, 0x07F3}, {0x07FD, 0x07FD}, {0x0816, 0x0819},
    {0x081B, 0x0823}, {0x0825, 0x0827}, {0x0829, 0x082D}, {0x0859, 0x085B},
    {0x0898, 0x089F}, {0x08CA, 0x08E1}, {0x08E3, 0x0902}, {0x093A, 0x093A},
    {0x093C, 0x093C}, {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957},
    {0x0962, 0x0963}, {0x0981, 0x0981}, {0x09BC, 0x09BC}, {0x09C1, 0x09C4},
    {0x09CD, 0x09CD}, {0x09E2, 0x09E3}, {0x09FE, 0x0A02}, {0x0A3C, 0x0A3C},
    {0x0A41, 0x0A51}, {0x0A70, 0x0A71}, {0x0A75, 0x0A75}, {0x0A81, 0x0A82},
    {0x0ABC, 0x0ABC}, {0x0AC1, 0x0AC8}, {0x0ACD, 0x0ACD}, {0x0AE2, 0x0AE3},
    {0x0AFA, 0x0B01}, {0x0B3C, 0x0B3C}, {0x0B3F, 0x0B3F}, {0x0B41, 0x0B44},
    {0x0B4D, 0x0B56}, {0x0B62, 0x0B63}, {0x0B82, 0x0B82}, {0x0BC0, 0x0BC0},
    {0x0BCD, 0x0BCD}, {0x0C00, 0x0C00}, {0x0C04, 0x0C04}, {0x0C3C, 0x0C3C},
    {0x0C3E, 0x0C40}, {0x0C46, 0x0C56}, {0x0C62, 0x0C63}, {0x0C81, 0x0C81},
    {0x0CBC, 0x0CBC}, {0x0CBF, 0x0CBF}, {0x0CC6, 0x0CC6}, {0x0CCC, 0x0CCD},
    {0x0CE2, 0x0CE3}, {0x0D00, 0x0D01}, {0x0D3B, 0x0D3C}, {0x0D41, 0x0D44},
    {0x0D4D, 0x0D4D}, {0x0D62, 0x0D63}, {0x0D81, 0x0D81}, {0x0DCA, 0x0DCA},
    {0x0DD2, 0x0DD6}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
    {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECD}, {0x0F18, 0x0F19},
    {0x0F35, 0x0F35}, {0x0F37, 0x0F37}, {0x0F39, 0x0F39}, {0x0F71, 0x0F7E},
    {0x0F80, 0x0F84}, {0x0F86, 0x0F87}, {0x0F8D, 0x0FBC}, {0x0FC6, 0x0FC6},
    {0x102D, 0x1030}, {0x1032, 0x1037}, {0x1039, 0x103A}, {0x103D, 0x103E},
    {0x1058, 0x1059}, {0x105E, 0x1060}, {0x1071, 0x1074}, {0x1082, 0x1082},
    {0x1085, 0x1086}, {0x108D, 0x108D}, {0x109D, 0x109D}, {0x1160, 0x11FF},
    {0x135D, 0x135F}, {0x1712, 0x1714}, {0x1732, 0x1733}, {0x1752, 0x1753},
    {0x1772, 0x1773}, {0x17B4, 0x17B5}, {0x17B7, 0x17BD}, {0x17C6, 0x17C6},
    {0x17C9, 0x17D3}, {0x17DD, 0x17DD}, {0x180B, 0x180D}, {0x180F, 0x180F},
    {0x1885, 0x1886}, {0x18A9, 0x18A9}, {0x1920, 0x1922}, {0x1927, 0x1928},
    {0x1932, 0x1932}, {0x1939, 0x193B}, {0x1A17, 0x1A18}, {0x1A1B, 0x1A1B},
    {0x1A56, 0x1A56}, {0x1A58, 0x1A60}, {0x1A62, 0x1A62}, {0x1A65, 0x1A6C},
    {0x1A73, 0x1A7F}, {0x1AB0, 0x1B03}, {0x1B34, 0x1B34}, {0x1B36, 0x1B3A},
    {0x1B3C, 0x1B3C}, {0x1B42, 0x1B42}, {0x1B6B, 0x1B73}, {0x1B80, 0x1B81},
    {0x1BA2, 0x1BA5}, {0x1BA8, 0x1BA9}, {0x1BAB, 0x1BAD}, {0x1BE6, 0x1BE6},
    {0x1BE8, 0x1BE9}, {0x1BED, 0x1BED}, {0x1BEF, 0x1BF1}, {0x1C2C, 0x1C33},
    {0x1C36, 0x1C37}, {0x1CD0, 0x1CD2}, {0x1CD4, 0x1CE0}, {0x1CE2, 0x1CE8},
    {0x1CED, 0x1CED}, {0x1CF4, 0x1CF4}, {0x1CF8, 0x1CF9}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x2060, 0x2064}, {0x20D0, 0x20F0}, {0x2CEF, 0x2CF1},
    {0x2D7F, 0x2D7F}, {0x2DE0, 0x2DFF}, {0x302A, 0x302D}, {0x3099, 0x309A},
    {0xA66F, 0xA672}, {0xA674, 0xA67D}, {0xA69E, 0xA69F}, {0xA6F0, 0xA6F1},
    {0xA802, 0xA802}, {0xA806, 0xA806}, {0xA80B, 0xA80B}, {0xA825, 0xA826},
    {0xA82C, 0xA82C}, {0xA8C4, 0xA8C5}, {0xA8E0, 0xA8F1}, {0xA8FF, 0xA8FF},
    {0xA926, 0xA92D}, {0xA947, 0xA951}, {0xA980, 0xA982}, {0xA9B3, 0xA9B3},
    {0xA9B6, 0xA9B9}, {0xA9BC, 0xA9BD}, {0xA9E5, 0xA9E5}, {0xAA29, 0xAA2E},
    {0xAA31, 0xAA32}, {0xAA35, 0xAA36}, {0xAA43, 0xAA43}, {0xAA4C, 0xAA4C},
    {0xAA7C, 0xAA7C}, {0xAAB0, 0xAAB0}, {0xAAB2, 0xAAB4}, {0xAAB7, 0xAAB8},
    {0xAABE, 0xAABF}, {0xAAC1, 0xAAC1}, {0xAAEC, 0xAAED}, {0xAAF6, 0xAAF6},
    {0xABE5, 0xABE5}, {0xABE8, 0xABE8}, {0xABED, 0xABED}, {0xD7B0, 0xD7FF},
    {0xFB1E, 0xFB1E}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
    {0x101FD, 0x101FD}, {0x102E0, 0x102E0}, {0x10376, 0x1037A}, {0x10A01, 0x10A0F},
    {0x10A38, 0x10A3F}, {0x10AE5, 0x10AE6}, {0x10D24, 0x10D27}, {0x10EAB, 0x10EAC},
    {0x10F46, 0x10F50}, {0x10F82, 0x10F85}, {0x11001, 0x11001}, {0x11038, 0x11046},
    {0x11070, 0x11070}, {0x11073, 0x11074}, {0x1107F, 0x11081}, {0x110B3, 0x110B6},
    {0x110B9, 0x110BA}, {0x110C2, 0x110C2}, {0x11100, 0x11102}, {0x11127, 0x1112B},
    {0x1112D, 0x11134}, {0x11173, 0x11173}, {0x11180, 0x11181}, {0x111B6, 0x111BE},
    {0x111C9, 0x111CC}, {0x111CF, 0x111CF}, {0x1122F, 0x11231}, {0x11234, 0x11234},
    {0x11236, 0x11237}, {0x1123E, 0x1123E}, {0x112DF, 0x112DF}, {0x112E3, 0x112EA},
    {0x11300, 0x11301}, {0x1133B, 0x1133C}, {0x11340, 0x11340}, {0x11366, 0x11374},
    {0x11438, 0x1143F}, {0x11442, 0x11444}, {0x11446, 0x11446}, {0x1145E, 0x1145E},
    {0x114B3, 0x114B8}, {0x114BA, 0x114BA}, {0x114BF, 0x114C0}, {0x114C2, 0x114C3},
    {0x115B2, 0x115B5}, {0x115BC, 0x115BD}, {0x115BF, 0x115C0}, {0x115DC, 0x115DD},
    {0x11633, 0x1163A}, {0x1163D, 0x1163D}, {0x1163F, 0x11640}, {0x116AB, 0x116AB},
    {0x116AD, 0x116AD}, {0x116B0, 0x116B5}, {0x116B7, 0x116B7}, {0x1171D, 0x1171F},
    {0x11722, 0x11725}, {0x11727, 0x1172B}, {0x1182F, 0x11837}, {0x11839, 0x1183A},
    {0x1193B, 0x1193C}, {0x1193E, 0x1193E}, {0x11943, 0x11943}, {0x119D4, 0x119DB},
    {0x119E0, 0x119E0}, {0x11A01, 0x11A0A}, {0x11A33, 0x11A38}, {0x11A3B, 0x11A3E},
    {0x11A47, 0x11A47}, {0x11A51, 0x11A56}, {0x11A59, 0x11A5B}, {0x11A8A, 0x11A96},
    {0x11A98, 0x11A99}, {0x11C30, 0x11C3D}, {0x11C3F, 0x11C3F}, {0x11C92, 0x11CA7},
    {0x11CAA, 0x11CB0}, {0x11CB2, 0x11CB3}, {0x11CB5, 0x11CB6}, {0x11D31, 0x11D45},
    {0x11D47, 0x11D47}, {0x11D90, 0x11D91}, {0x11D95, 0x11D95}, {0x11D97, 0x11D97},
    {0x11EF3, 0x11EF4}, {0x16AF0, 0x16AF4}, {0x16B30, 0x16B36}, {0x16F4F, 0x16F4F},
    {0x16F8F, 0x16F92}, {0x16FE4, 0x16FE4}, {0x1BC9D, 0x1BC9E}, {0x1CF00, 0x1CF46},
    {0x1D167, 0x1D169}, {0x1D17B, 0x1D182}, {0x1D185, 0x1D18B}, {0x1D1AA, 0x1D1AD},
    {0x1D242, 0x1D244}, {0x1DA00, 0x1DA36}, {0x1DA3B, 0x1DA6C}, {0x1DA75, 0x1DA75},
    {0x1DA84, 0x1DA84}, {0x1DA9B, 0x1DAAF}, {0x1E000, 0x1E02A}, {0x1E130, 0x1E136},
    {0x1E2AE, 0x1E2AE}, {0x1E2EC, 0x1E2EF}, {0x1E8D0, 0x1E8D6}, {0x1E944, 0x1E94A},
    {0xE0001, 0xE01EF},
};

/* Generated from Unicode 14.0 EastAsianWidth.txt, W and F, with the CJK
 * ideograph blocks and planes 2 and 3 taken whole (unassigned code points
 * there default to wide), merged across unassigned gaps. */
static const struct cp_range wide[] = {
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
    {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615},
    {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
    {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE},
    {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
    {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
    {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755},
    {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x3029},
    {0x302E, 0x303E}, {0x3041, 0x3096}, {0x309B, 0x3247}, {0x3250, 0x4DBF},
    {0x4E00, 0xA4C6}, {0xA960, 0xA97C}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE10, 0xFE19}, {0xFE30, 0xFE6B}, {0xFF01, 0xFF60}, {0xFFE0, 0xFFE6},
    {0x16FE0, 0x16FE3}, {0x16FF0, 0x18D08}, {0x1AFF0, 0x1B2FB}, {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F320},
    {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA},
    {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E},
    {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E},
    {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4},
    {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2},
    {0x1F6D5, 0x1F6DF}, {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7F0},
    {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAF6},
    {0x20000, 0x3FFFD},
};

static bool in_table(unsigned cp, const struct cp_range *t, size_t n)
{
    size_t lo = 0, hi = n;

    if (n == 0 || cp < t[0].lo || cp > t[n - 1].hi)
        return false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp > t[mid].hi)
            lo = mid + 1;
        else if (cp < t[mid].lo)
            hi = mid;
        else
            return true;
    }
    return false;
}

int text_cp_width(unsigned cp)
{
    if (in_table(cp, zero_width, sizeof zero_width / sizeof zero_width[0]))
        return 0;
    if (in_table(cp, wide, sizeof wide / sizeof wide[0]))
        return 2;
    return 1;
}

bool text_cp_printable(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return false;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return false;
    /* Noncharacters: U+FDD0..U+FDEF and the last two of every plane. */
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return false;
    switch (cp) {
    case 0x061C: /* arabic letter mark */
    case 0x180E: /* mongolian vowel separator */
    case 0x200E: /* left-to-right mark */
    case 0x200F: /* right-to-left mark */
    case 0x2028: /* line separator */
    case 0x2029: /* paragraph separator */
    case 0xFEFF: /* byte order mark */
        return false;
    default:
        break;
    }
    if (cp >= 0x202A && cp <= 0x202E) /* bidi embeddings and overrides */
        return false;
    if (cp >= 0x2060 && cp <= 0x206F) /* joiners, invisible operators, isolates */
        return false;
    if (cp >= 0xFFF9 && cp <= 0xFFFB) /* interlinear annotation */
        return false;
    if ((cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A))
        return false;
    if (cp >= 0xE0000 && cp <= 0xE007F) /* tags: invisible text */
        return false;
    return true;
}

size_t text_utf8_decode(const char *s, size_t n, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len;
    unsigned c, min;

    if (!s || n == 0)
        return 0;
    if (u[0] < 0x80) {
        if (cp)
            *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        len = 2;
        c = u[0] & 0x1Fu;
        min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        len = 3;
        c = u[0] & 0x0Fu;
        min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        len = 4;
        c = u[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 (overlong 2-byte) or F5..FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (cp)
        *cp = c;
    return len;
}

size_t text_utf8_encode(unsigned cp, char *out)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = CP_REPLACEMENT;
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

/* Length of the invalid sequence at s that one U+FFFD stands for: the
 * maximal prefix of a well-formed sequence (Unicode's recommended
 * practice), so a truncated character is one placeholder, not three. */
static size_t invalid_len(const unsigned char *s, size_t n)
{
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need, i = 1;

    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        need = 1;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        need = 2;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        need = 3;
    else
        return 1;
    if (s[0] == 0xE0)
        lo = 0xA0;
    else if (s[0] == 0xED)
        hi = 0x9F;
    else if (s[0] == 0xF0)
        lo = 0x90;
    else if (s[0] == 0xF4)
        hi = 0x8F;
    if (i < n && s[i] >= lo && s[i] <= hi) {
        i++;
        while (i <= need && i < n && (s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* One input unit as it will be shown. */
struct glyph {
    char bytes[4];
    size_t nbytes;
    int width;
};

/* Decodes and maps the input at s; returns the input bytes consumed. */
static size_t next_glyph(const char *s, size_t n, bool ascii, struct glyph *g)
{
    unsigned cp;
    size_t used = text_utf8_decode(s, n, &cp);

    if (used == 0) {
        used = invalid_len((const unsigned char *)s, n);
        cp = CP_REPLACEMENT;
    } else if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
        cp = ' ';
    } else if (cp < 0x20) {
        cp = 0x2400 + cp; /* control pictures: ESC shows as U+241B */
    } else if (cp == 0x7F) {
        cp = 0x2421;
    } else if (!text_cp_printable(cp)) {
        cp = CP_REPLACEMENT;
    }
    if (ascii) {
        g->bytes[0] = cp < 0x80 ? (char)cp : '?';
        g->nbytes = 1;
        g->width = 1;
    } else {
        g->nbytes = text_utf8_encode(cp, g->bytes);
        g->width = text_cp_width(cp);
    }
    return used;
}

/* Walks the glyphs of a string, dropping zero-width glyphs beyond
 * TEXT_MAX_MARKS in a row. */
struct glyph_iter {
    const char *p;
    size_t left;
    bool ascii;
    int marks; /* zero-width glyphs since the last base */
};

static bool iter_next(struct glyph_iter *it, struct glyph *g)
{
    while (it->left > 0) {
        size_t used = next_glyph(it->p, it->left, it->ascii, g);
        it->p += used;
        it->left -= used;
        if (g->width > 0) {
            it->marks = 0;
            return true;
        }
        if (it->marks < TEXT_MAX_MARKS) {
            it->marks++;
            return true;
        }
    }
    return false;
}

int text_width(const char *s, size_t len, bool ascii)
{
    struct glyph_iter it = {s, s ? len : 0, ascii, 0};
    struct glyph g;
    long long cols = 0;

    while (iter_next(&it, &g)) {
        cols += g.width;
        if (cols >= INT_MAX)
            return INT_MAX;
    }
    return (int)cols;
}

int text_fit(const char *in, size_t len, int maxcols, bool ascii, char *out, size_t outsz)
{
    struct glyph_iter it = {in, in ? len : 0, ascii, 0};
    struct glyph g;
    const char *ell = ascii ? "~" : CP_ELLIPSIS;
    size_t ell_len = strlen(ell);
    size_t room, bytes = 0;
    long long colmax = maxcols < 0 ? INT_MAX : maxcols;
    long long cols = 0;
    bool fits = true;

    if (!out || outsz == 0)
        return 0;
    room = outsz - 1;

    /* First pass: does all of it fit? Then no ellipsis is needed. */
    while (iter_next(&it, &g)) {
        if (cols + g.width > colmax || bytes + g.nbytes > room) {
            fits = false;
            break;
        }
        cols += g.width;
        bytes += g.nbytes;
    }
    it = (struct glyph_iter){in, in ? len : 0, ascii, 0};
    if (fits) {
        bytes = 0;
        while (iter_next(&it, &g)) {
            memcpy(out + bytes, g.bytes, g.nbytes);
            bytes += g.nbytes;
        }
        out[bytes] = '\0';
        return (int)cols;
    }

    /* It does not: the longest prefix that leaves a column (and the bytes)
     * for the ellipsis. A wide character that would straddle the limit is
     * left out whole. */
    if (colmax == 0) {
        out[0] = '\0';
        return 0;
    }
    if (room < ell_len)
        ell_len = 0; /* no space for the ellipsis bytes: cut silently */
    cols = 0;
    bytes = 0;
    while (iter_next(&it, &g)) {
        if (cols + g.width > colmax - 1 || bytes + g.nbytes > room - ell_len)
            break;
        memcpy(out + bytes, g.bytes, g.nbytes);
        bytes += g.nbytes;
        cols += g.width;
    }
    if (ell_len) {
        memcpy(out + bytes, ell, ell_len);
        bytes += ell_len;
        cols += 1;
    }
    out[bytes] = '\0';
    return (int)cols;
}

void text_format_number(double v, char *buf, size_t n)
{
    char tmp[64];

    if (!buf || n == 0)
        return;
    if (isnan(v) || isinf(v)) {
        snprintf(tmp, sizeof tmp, "-");
    } else if (fabs(v) >= 1e15) {
        /* From 1e15 on a double has no digits left for cents, and a
         * long long cannot hold the whole part of every such value. */
        snprintf(tmp, sizeof tmp, "%.3g", v);
    } else {
        /* Whole and fraction apart: scaling the whole value by 100 would
         * spend the last digits of precision on cents that are noise. */
        double ip;
        double fp = modf(fabs(v), &ip);
        long long whole = (long long)ip;
        int frac = (int)llround(fp * 100.0);
        char digits[24];
        int nd;
        size_t p = 0;

        if (frac == 100) {
            whole++;
            frac = 0;
        }
        nd = snprintf(digits, sizeof digits, "%lld", whole);
        if (v < 0 && (whole != 0 || frac != 0))
            tmp[p++] = '-';
        for (int i = 0; i < nd; i++) {
            if (i > 0 && (nd - i) % 3 == 0)
                tmp[p++] = ',';
            tmp[p++] = digits[i];
        }
        tmp[p] = '\0';
        if (frac)
            snprintf(tmp + p, sizeof tmp - p, ".%02d", frac);
    }
    /* A cut number would be a wrong number: fill with '#' instead, as
     * spreadsheets do. */
    if (strlen(tmp) >= n) {
        memset(buf, '#', n - 1);
        buf[n - 1] = '\0';
        return;
    }
    memcpy(buf, tmp, strlen(tmp) + 1);
}
