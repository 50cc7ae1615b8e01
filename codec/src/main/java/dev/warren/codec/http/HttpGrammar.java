package dev.warren.codec.http;

/**
 * The character classes of RFC 9110 §5.6 and RFC 9112 as one 256-entry table, and the word-at-a-time tests that
 * let a scanner skip eight ordinary bytes in one step. Stateless.
 */
final class HttpGrammar
{
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';
    static final byte COLON = ':';
    static final byte COMMA = ',';
    static final byte SEMICOLON = ';';
    static final byte EQUALS = '=';
    static final byte DQUOTE = '"';
    static final byte BACKSLASH = '\\';

    /** {@code tchar}: the characters of a token (method, field name, transfer coding). */
    static final int TCHAR = 1;
    /** A request-target character: VCHAR only (no space, no control, no byte above 0x7E). */
    static final int TARGET = 2;
    /** {@code field-vchar}: VCHAR or obs-text. */
    static final int FIELD_VCHAR = 4;
    /** {@code OWS}/{@code BWS} characters: SP and HTAB. */
    static final int WS = 8;
    /** {@code qdtext} of a quoted-string: HTAB, SP, VCHAR but {@code "} and {@code \}, obs-text. */
    static final int QDTEXT = 16;
    /** {@code reason-phrase} characters: HTAB, SP, VCHAR, obs-text. */
    static final int REASON = 32;
    /**
     * Characters of a Host value, {@code uri-host [":" port]} (RFC 3986 §3.2.2): unreserved, pct-encoded, sub-delims,
     * {@code :} and the brackets of an IP literal. No space, {@code /}, {@code ?}, {@code #} or {@code @}.
     */
    static final int HOST = 64;

    private static final byte[] CLASSES = new byte[256];
    private static final byte[] HEX_VALUES = new byte[256];

    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    static
    {
        final String tcharSymbols = "!#$%&'*+-.^_`|~";
        final String hostSymbols = "-._~%!$&'()*+,;=:[]";
        for (int c = 0; c < 256; c++)
        {
            int classes = 0;
            final boolean vchar = c >= 0x21 && c <= 0x7E;
            final boolean obsText = c >= 0x80;
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                tcharSymbols.indexOf(c) >= 0)
            {
                classes |= TCHAR;
            }
            if (vchar)
            {
                classes |= TARGET;
            }
            if (vchar || obsText)
            {
                classes |= FIELD_VCHAR | REASON;
            }
            if (c == SP || c == HTAB)
            {
                classes |= WS | QDTEXT | REASON;
            }
            if ((vchar && c != DQUOTE && c != BACKSLASH) || obsText)
            {
                classes |= QDTEXT;
            }
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                hostSymbols.indexOf(c) >= 0)
            {
                classes |= HOST;
            }
            CLASSES[c] = (byte)classes;

            HEX_VALUES[c] = (byte)(c >= '0' && c <= '9' ? c - '0' :
                c >= 'a' && c <= 'f' ? c - 'a' + 10 :
                c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1);
        }
    }

    private HttpGrammar()
    {
    }

    static boolean is(final int b, final int characterClass)
    {
        return (CLASSES[b & 0xFF] & characterClass) != 0;
    }

    static boolean isTchar(final int b)
    {
        return (CLASSES[b & 0xFF] & TCHAR) != 0;
    }

    static boolean isWhitespace(final int b)
    {
        return b == SP || b == HTAB;
    }

    /** @return 0..15, or -1 when {@code b} is not a hex digit. */
    static int hexValue(final int b)
    {
        return HEX_VALUES[b & 0xFF];
    }

    /** ASCII lower case; every other byte unchanged. */
    static int toLowerCase(final int b)
    {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    /**
     * The high bit of each byte of {@code word} that is a control character (below 0x20) or DEL: the bytes a field
     * value must not hold, and HTAB, which the caller then allows. The lowest flagged byte is always a true one (the
     * classic "has less than" and "has zero" tests, Hacker's Delight §6-1: a borrow can only flag bytes above a true
     * one), so with a little-endian load, {@link #firstByte} finds the first such byte in memory.
     */
    static long controlOrDelete(final long word)
    {
        final long belowSpace = (word - 0x2020_2020_2020_2020L) & ~word & HIGHS;
        final long delete = word ^ 0x7F7F_7F7F_7F7F_7F7FL;
        return belowSpace | ((delete - ONES) & ~delete & HIGHS);
    }

    /**
     * The high bit of each byte of {@code word} that is not a VCHAR (0x21..0x7E): space, control, DEL or above, with
     * the same guarantee as {@link #controlOrDelete}.
     */
    static long nonVisible(final long word)
    {
        final long belowBang = (word - 0x2121_2121_2121_2121L) & ~word & HIGHS;
        final long delete = word ^ 0x7F7F_7F7F_7F7F_7F7FL;
        return belowBang | ((delete - ONES) & ~delete & HIGHS) | (word & HIGHS);
    }

    /** The index, 0..7, of the lowest byte flagged in a non-zero {@code mask} of a little-endian load. */
    static int firstByte(final long mask)
    {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

}
