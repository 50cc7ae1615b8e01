package dev.warren.loadgen.target;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BodyCheckTest
{
    private static final byte[] EXPECTED = "0123456789".getBytes(StandardCharsets.US_ASCII);

    private static String check(final String... slices)
    {
        final BodyCheck check = new BodyCheck(EXPECTED);
        check.reset();
        for (final String slice : slices)
        {
            // each slice at a different offset of a larger buffer, as the transport hands them out
            final byte[] bytes = ("xx" + slice + "yy").getBytes(StandardCharsets.US_ASCII);
            check.update(new UnsafeBuffer(bytes), 2, slice.length());
        }
        return check.verdict();
    }

    @Test
    void shouldAcceptTheExpectedBytesHoweverTheyAreSliced()
    {
        assertNull(check("0123456789"));
        assertNull(check("0", "12345", "", "6789"));
    }

    @Test
    void shouldRefuseABodyCutShortLongerOrCorrupted()
    {
        assertEquals("response body of 9 bytes is cut short: 10 expected", check("012345678"));
        assertEquals("response body of 0 bytes is cut short: 10 expected", check());
        assertEquals("response body of 11 bytes is longer than the 10 expected", check("01234", "56789X"));
        assertEquals("response body differs from the expected at byte 5 (10 bytes, 10 expected)",
            check("01234", "X6789"));
        assertEquals("response body differs from the expected at byte 0 (3 bytes, 10 expected)", check("abc"));
    }

    @Test
    void shouldStartAfreshAfterReset()
    {
        final BodyCheck check = new BodyCheck(EXPECTED);
        check.reset();
        check.update(new UnsafeBuffer("X".getBytes(StandardCharsets.US_ASCII)), 0, 1);
        assertEquals("response body differs from the expected at byte 0 (1 bytes, 10 expected)", check.verdict());
        check.reset();
        check.update(new UnsafeBuffer(EXPECTED), 0, EXPECTED.length);
        assertNull(check.verdict());
    }
}
