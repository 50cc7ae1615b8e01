package dev.warren.loadgen.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --hgrm FILE}: HdrHistogram's standard percentile distribution of the latency (from intended send time), in
 * milliseconds, as wrk2 prints it and as HdrHistogram's plotter reads it. Stateless; thread-safe.
 */
public final class HgrmReport
{
    /** Rows per halving of the distance to 100%: HdrHistogram's (and wrk2's) usual. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    /** Recorded in microseconds, printed in milliseconds. */
    private static final double MICROS_PER_MILLI = 1000.0;

    private HgrmReport()
    {
    }

    public static void write(final LoadReport report, final Path file) throws IOException
    {
        try (OutputStream stream = Files.newOutputStream(file);
             PrintStream out = new PrintStream(stream, false, StandardCharsets.UTF_8))
        {
            write(report, out);
            if (out.checkError())
            {
                throw new IOException("cannot write " + file);
            }
        }
    }

    public static void write(final LoadReport report, final PrintStream out)
    {
        report.latency().outputPercentileDistribution(out, TICKS_PER_HALF_DISTANCE, MICROS_PER_MILLI);
    }
}
