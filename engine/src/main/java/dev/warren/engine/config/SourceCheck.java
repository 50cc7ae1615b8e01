package dev.warren.engine.config;

/**
 * Checks the raw bytes of a configuration file before Chronicle reads them, for what its lenient tokeniser would
 * let through: bytes that are not UTF-8 (a binary file), control characters and DEL (which YAML forbids, and which
 * {@link VariableReferences} relies on being absent), and tabs in indentation (YAML indents with spaces only).
 * Stateless; thread-safe.
 */
final class SourceCheck
{
    private SourceCheck()
    {
    }

    /** @throws ConfigException at the line of the first bad byte. */
    static void check(final ConfigDocument document) throws ConfigException
    {
        final byte[] text = document.text();
        final int length = document.length();
        boolean indenting = true;
        int i = 0;
        while (i < length)
        {
            final int b = text[i] & 0xFF;
            if (b == '\n' || b == '\r')
            {
                indenting = true;
                i++;
                continue;
            }
            if (b == '\t')
            {
                if (indenting && !blankFrom(text, i, length))
                {
                    throw document.error(document.lineOf(i), "",
                        "tab in indentation: YAML indents with spaces only");
                }
                i++;
                continue;
            }
            if (b < 0x20 || b == 0x7F)
            {
                throw document.error(document.lineOf(i), "", String.format(
                    "not a YAML text file: control character 0x%02X (a binary file?)", b));
            }
            if (b != ' ' && b != '-')
            {
                indenting = false;
            }
            if (b < 0x80)
            {
                i++;
                continue;
            }
            final int sequenceLength = utf8SequenceLength(text, i, length);
            if (sequenceLength < 0)
            {
                throw document.error(document.lineOf(i), "", "not a YAML text file: it is not UTF-8 (a binary file?)");
            }
            i += sequenceLength;
        }
    }

    /** True when the line holds only spaces, tabs or a comment from {@code i} on. */
    private static boolean blankFrom(final byte[] text, final int i, final int length)
    {
        for (int k = i; k < length; k++)
        {
            final byte b = text[k];
            if (b == '\n' || b == '\r' || b == '#')
            {
                return true;
            }
            if (b != ' ' && b != '\t')
            {
                return false;
            }
        }
        return true;
    }

    /** The length of the well-formed UTF-8 sequence at {@code i}, or -1. */
    private static int utf8SequenceLength(final byte[] text, final int i, final int length)
    {
        final int b = text[i] & 0xFF;
        final int count;
        final int min;
        if (b >= 0xC2 && b <= 0xDF)
        {
            count = 2;
            min = 0x80;
        }
        else if (b >= 0xE0 && b <= 0xEF)
        {
            count = 3;
            min = 0x800;
        }
        else if (b >= 0xF0 && b <= 0xF4)
        {
            count = 4;
            min = 0x10000;
        }
        else
        {
            return -1;
        }
        if (i + count > length)
        {
            return -1;
        }
        int codePoint = b & (0xFF >> (count + 1));
        for (int k = 1; k < count; k++)
        {
            final int next = text[i + k] & 0xFF;
            if ((next & 0xC0) != 0x80)
            {
                return -1;
            }
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        {
            return -1;
        }
        return count;
    }
}
