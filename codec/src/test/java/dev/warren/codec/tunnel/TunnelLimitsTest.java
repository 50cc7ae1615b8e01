package dev.warren.codec.tunnel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunnelLimitsTest
{
    @Test
    void shouldHaveTheDocumentedDefaults()
    {
        assertEquals(new TunnelLimits(8192, 65_536, 256 * 1024, 16 * 1024 * 1024), TunnelLimits.DEFAULTS);
        assertNull(TunnelLimits.DEFAULTS.validate());
        assertEquals(16, TunnelLimits.ENCODED_LENGTH);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1024, 1024, 1024",
        "1, 1048576, 1024, 1024",
        "2147483647, 65536, 2147483647, 2147483647",
        "8192, 65536, 262144, 16777216",
        "100, 4096, 1025, 1025",
    })
    void shouldAcceptUsableLimits(
        final int maxConcurrentStreams, final int maxFramePayload, final int initialStreamWindow,
        final int connectionWindow)
    {
        assertNull(new TunnelLimits(maxConcurrentStreams, maxFramePayload, initialStreamWindow, connectionWindow)
            .validate());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 65536, 262144, 16777216, maxConcurrentStreams",
        "-1, 65536, 262144, 16777216, maxConcurrentStreams",
        "-2147483648, 65536, 262144, 16777216, maxConcurrentStreams",
        "1, 1023, 262144, 16777216, maxFramePayload",
        "1, 0, 262144, 16777216, maxFramePayload",
        "1, -65536, 262144, 16777216, maxFramePayload",
        "1, 1048577, 262144, 16777216, maxFramePayload",
        "1, 2147483647, 262144, 16777216, maxFramePayload",
        "1, 65536, 1023, 16777216, initialStreamWindow",
        "1, 65536, 0, 16777216, initialStreamWindow",
        "1, 65536, -262144, 16777216, initialStreamWindow",
        "1, 65536, 262144, 262143, connectionWindow",
        "1, 65536, 262144, -16777216, connectionWindow",
        "1, 65536, 1024, 1023, connectionWindow",
    })
    void shouldRefuseUnusableLimitsSayingWhich(
        final int maxConcurrentStreams, final int maxFramePayload, final int initialStreamWindow,
        final int connectionWindow, final String field)
    {
        final String problem =
            new TunnelLimits(maxConcurrentStreams, maxFramePayload, initialStreamWindow, connectionWindow).validate();

        assertNotNull(problem);
        assertTrue(problem.startsWith(field), problem);
    }
}
