package dev.warren.engine.metrics;

import dev.warren.codec.tunnel.WireCode;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Streams opened, and streams failed by SPEC §5 code, for one binding (edge) or one connector. Updated once per
 * stream, never per byte. Thread-safe.
 */
public final class StreamCounters
{
    /** The codes a stream can fail with, in the order they are written. */
    private static final int[] CODES = {
        WireCode.CONNECTION_REFUSED, WireCode.CONNECTION_TIMEOUT, WireCode.CONNECTION_TERMINATED,
        WireCode.CONNECTION_LIMIT_REACHED, WireCode.DESTINATION_UNAVAILABLE, WireCode.DESTINATION_NOT_ALLOWED,
        WireCode.DNS_ERROR, WireCode.TLS_ERROR, WireCode.PROTOCOL_ERROR, WireCode.REQUEST_INVALID,
        WireCode.AUTH_FAILED, WireCode.UNSUPPORTED_VERSION, WireCode.CANCELLED};
    private static final int OTHER = CODES.length;

    private final LongAdder opened = new LongAdder();
    private final AtomicLongArray failed = new AtomicLongArray(CODES.length + 1);

    public void opened()
    {
        opened.increment();
    }

    public void failed(final int wireCode)
    {
        failed.incrementAndGet(slot(wireCode));
    }

    public long openedCount()
    {
        return opened.sum();
    }

    public long failedCount(final int wireCode)
    {
        return failed.get(slot(wireCode));
    }

    /** Writes one {@code failedName} sample per code seen, with {@code labels} followed by {@code code}. */
    public void writeFailed(final PrometheusWriter writer, final String failedName, final String... labels)
    {
        for (int slot = 0; slot <= OTHER; slot++)
        {
            final long count = failed.get(slot);
            if (count == 0)
            {
                continue;
            }
            final String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
            all[labels.length] = "code";
            all[labels.length + 1] = slot == OTHER ? "other" : WireCode.name(CODES[slot]);
            writer.sample(failedName, count, all);
        }
    }

    private static int slot(final int wireCode)
    {
        for (int i = 0; i < CODES.length; i++)
        {
            if (CODES[i] == wireCode)
            {
                return i;
            }
        }
        return OTHER;
    }
}
