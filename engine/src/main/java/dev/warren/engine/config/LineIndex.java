package dev.warren.engine.config;

import java.util.Arrays;

/**
 * Turns a byte offset in a file into a 1-based line number. {@code \n}, {@code \r\n} and a lone {@code \r} each end
 * a line, as they do for Chronicle's YAML tokeniser. Immutable once built; thread-safe.
 */
final class LineIndex
{
    private final int[] lineStarts;
    private final int lineCount;

    LineIndex(final byte[] text, final int length)
    {
        int[] starts = new int[64];
        int count = 1;
        for (int i = 0; i < length; i++)
        {
            final byte b = text[i];
            if (b == '\n' || (b == '\r' && (i + 1 >= length || text[i + 1] != '\n')))
            {
                if (count == starts.length)
                {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        lineStarts = starts;
        lineCount = count;
    }

    /** The line holding {@code offset}; offsets past the end belong to the last line, negative ones to the first. */
    int lineOf(final long offset)
    {
        if (offset <= 0)
        {
            return 1;
        }
        int low = 0;
        int high = lineCount - 1;
        while (low < high)
        {
            final int mid = (low + high + 1) >>> 1;
            if (lineStarts[mid] <= offset)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low + 1;
    }

    /** The offset where {@code line} (1-based) begins. */
    int lineStart(final int line)
    {
        return lineStarts[Math.max(0, Math.min(line, lineCount) - 1)];
    }

    int lineCount()
    {
        return lineCount;
    }
}
