package dev.warren.cli;

/**
 * What one bulk echo measured.
 *
 * @param bytesVerified echoed bytes checked against what was sent.
 * @param nanos         from the first byte written to the last byte read back.
 */
record BulkResult(long bytesVerified, long nanos)
{
    /** Megabytes (10<sup>6</sup> bytes) echoed per second. */
    double megabytesPerSecond()
    {
        return nanos > 0 ? bytesVerified * 1_000.0 / nanos : 0;
    }
}
