package dev.warren.cli;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Prints the demo's comparison: one row for the tunnel, one for direct, and their ratio. A missing result (its
 * load failed) prints as {@code -}. Stateless; thread-safe.
 */
final class ComparisonTable
{
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String ROW = "%-14s%15s%10s%10s%10s%10s%10s%12s%n";

    private ComparisonTable()
    {
    }

    static void print(
        final PrintStream out, final LoadResult tunnel, final LoadResult direct,
        final BulkResult tunnelBulk, final BulkResult directBulk)
    {
        final String micros = Charset.defaultCharset().newEncoder().canEncode('µ') ? "µs" : "us";
        out.printf(Locale.ROOT, ROW, "", "round trips/s", "p50", "p90", "p99", "p99.9", "max", "bulk MB/s");
        out.printf(Locale.ROOT, ROW, "", "", micros, micros, micros, micros, micros, "");
        final double[] tunnelValues = values(tunnel, tunnelBulk);
        final double[] directValues = values(direct, directBulk);
        row(out, "tunnel", tunnelValues, false);
        row(out, "direct", directValues, false);
        final double[] ratio = new double[tunnelValues.length];
        for (int i = 0; i < ratio.length; i++)
        {
            ratio[i] = directValues[i] > 0 && tunnelValues[i] >= 0 ? tunnelValues[i] / directValues[i] : -1;
        }
        row(out, "tunnel/direct", ratio, true);
    }

    private static final String FETCH_ROW = "%-14s%12s%10s%10s%10s%10s%8s%n";

    /** The fetch() load's table: requests/s, p50, p90, p99, max and errors, through the tunnel and direct. */
    static void printFetch(final PrintStream out, final FetchResult tunnel, final FetchResult direct)
    {
        final String micros = Charset.defaultCharset().newEncoder().canEncode('µ') ? "µs" : "us";
        out.printf(Locale.ROOT, FETCH_ROW, "", "requests/s", "p50", "p90", "p99", "max", "errors");
        out.printf(Locale.ROOT, FETCH_ROW, "", "", micros, micros, micros, micros, "");
        final double[] tunnelValues = values(tunnel);
        final double[] directValues = values(direct);
        fetchRow(out, "tunnel", tunnelValues, false);
        fetchRow(out, "direct", directValues, false);
        final double[] ratio = new double[tunnelValues.length - 1];
        for (int i = 0; i < ratio.length; i++)
        {
            ratio[i] = directValues[i] > 0 && tunnelValues[i] >= 0 ? tunnelValues[i] / directValues[i] : -1;
        }
        fetchRow(out, "tunnel/direct", ratio, true);
    }

    /** Requests/s, p50, p90, p99, max, errors; -1 where unknown. */
    private static double[] values(final FetchResult result)
    {
        final double[] values = {-1, -1, -1, -1, -1, -1};
        if (result != null)
        {
            final Histogram histogram = result.latencyMicros();
            values[0] = result.requestsPerSecond();
            if (histogram.getTotalCount() > 0)
            {
                values[1] = histogram.getValueAtPercentile(50);
                values[2] = histogram.getValueAtPercentile(90);
                values[3] = histogram.getValueAtPercentile(99);
                values[4] = histogram.getMaxValue();
            }
            values[5] = result.errors();
        }
        return values;
    }

    private static void fetchRow(final PrintStream out, final String name, final double[] values, final boolean ratio)
    {
        final Object[] cells = {name, "", "", "", "", "", ""};
        for (int i = 0; i < values.length; i++)
        {
            cells[i + 1] = values[i] < 0 ? "-" : ratio ? String.format(Locale.ROOT, "%.2f", values[i]) :
                String.format(Locale.ROOT, "%,d", Math.round(values[i]));
        }
        out.printf(Locale.ROOT, FETCH_ROW, cells);
    }

    /** Round trips/s, the percentiles, max, bulk MB/s; -1 where unknown. */
    private static double[] values(final LoadResult load, final BulkResult bulk)
    {
        final double[] values = new double[PERCENTILES.length + 3];
        java.util.Arrays.fill(values, -1);
        if (load != null)
        {
            final Histogram histogram = load.latencyMicros();
            values[0] = load.roundTripsPerSecond();
            if (histogram.getTotalCount() > 0)
            {
                for (int i = 0; i < PERCENTILES.length; i++)
                {
                    values[i + 1] = histogram.getValueAtPercentile(PERCENTILES[i]);
                }
                values[PERCENTILES.length + 1] = histogram.getMaxValue();
            }
        }
        if (bulk != null)
        {
            values[PERCENTILES.length + 2] = bulk.megabytesPerSecond();
        }
        return values;
    }

    private static void row(final PrintStream out, final String name, final double[] values, final boolean ratio)
    {
        final Object[] cells = new Object[values.length + 1];
        cells[0] = name;
        for (int i = 0; i < values.length; i++)
        {
            cells[i + 1] = values[i] < 0 ? "-" :
                ratio ? String.format(Locale.ROOT, "%.2f", values[i]) :
                i == values.length - 1 ? String.format(Locale.ROOT, "%,.1f", values[i]) :
                String.format(Locale.ROOT, "%,d", Math.round(values[i]));
        }
        out.printf(Locale.ROOT, ROW, cells);
    }
}
