package dev.warren.loadgen.report;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The summary printed at the end of a run: what was asked, what was achieved, the errors, and one row of percentiles
 * for latency (from the intended send time) and one for service time (from the actual send). Stateless; thread-safe.
 */
public final class TextReport
{
    private TextReport()
    {
    }

    public static void write(final LoadReport report, final PrintStream out)
    {
        out.println("warren loadgen " + report.mode() + " " + report.pattern() + ": " + report.label());
        out.println(row("target", report.target()));
        out.println(row("load", describeLoad(report)));
        out.println(row("requests", describeRequests(report)));
        out.println(row("bytes", "out " + bytes(report.bytesOut(), report.durationSeconds()) + ", in " +
            bytes(report.bytesIn(), report.durationSeconds())));
        if (!report.statuses().isEmpty() || "http".equals(report.mode()))
        {
            out.println(row("status", describeStatuses(report)));
        }
        out.println(row("errors", describeErrors(report)));
        for (final Map.Entry<String, String> detail : report.errorDetails().entrySet())
        {
            out.println(row("", "first " + detail.getKey() + ": " + detail.getValue()));
        }
        out.println();
        writePercentiles(report, out);
        out.println();
        out.println("  latency: from each request's intended send time (corrected for coordinated omission); " +
            "service: from its actual send");
    }

    /** The table of percentiles, in milliseconds with microsecond resolution. */
    public static void writePercentiles(final LoadReport report, final PrintStream out)
    {
        final int columns = SummaryPercentiles.count();
        final String[][] cells = new String[2][columns];
        int width = 6;
        for (int i = 0; i < columns; i++)
        {
            cells[0][i] = millis(SummaryPercentiles.value(report.latency(), i));
            cells[1][i] = millis(SummaryPercentiles.value(report.serviceTime(), i));
            width = Math.max(width, Math.max(cells[0][i].length(), cells[1][i].length()));
        }
        final StringBuilder head = new StringBuilder("  ").append(pad("ms", 9, false));
        for (int i = 0; i < columns; i++)
        {
            head.append(' ').append(pad(SummaryPercentiles.name(i), width, true));
        }
        out.println(head);
        out.println(percentileRow("latency", cells[0], width) + "   " + count(report.latency()));
        out.println(percentileRow("service", cells[1], width));
    }

    static String describeLoad(final LoadReport report)
    {
        final StringBuilder load = new StringBuilder(96);
        if (report.openLoop())
        {
            load.append("open loop at ").append(number(report.targetRate())).append(" req/s");
        }
        else
        {
            load.append("closed loop (as fast as each connection can)");
        }
        load.append(", ").append(report.connections()).append(report.connections() == 1 ? " connection" :
            " connections").append(" on ").append(report.loops()).append(report.loops() == 1 ? " event loop" :
            " event loops").append(", ").append(report.size()).append(" B per request, ")
            .append(seconds(report.durationSeconds())).append(" measured");
        if (report.warmupSeconds() > 0)
        {
            load.append(" after ").append(seconds(report.warmupSeconds())).append(" of warm-up");
        }
        return load.toString();
    }

    static String describeRequests(final LoadReport report)
    {
        final StringBuilder text = new StringBuilder(96).append(report.requests()).append(" completed, ")
            .append(String.format(Locale.ROOT, "%.1f", report.achievedRate())).append(" req/s");
        if (report.openLoop())
        {
            text.append(String.format(Locale.ROOT, " (%.1f%% of the target; %d expected)",
                100 * report.achievedRatio(), report.expectedRequests()));
        }
        if (report.unsent() > 0)
        {
            text.append(", ").append(report.unsent()).append(" never sent");
        }
        return text.toString();
    }

    static String describeStatuses(final LoadReport report)
    {
        if (report.statuses().isEmpty())
        {
            return "no responses";
        }
        final StringBuilder text = new StringBuilder(64);
        for (final Map.Entry<String, Long> status : report.statuses().entrySet())
        {
            text.append(text.length() == 0 ? "" : ", ").append(status.getKey()).append(' ').append(status.getValue());
        }
        if (report.non2xx() > 0)
        {
            text.append(" (non-2xx ").append(report.non2xx()).append(": counted, not errors)");
        }
        return text.toString();
    }

    static String describeErrors(final LoadReport report)
    {
        final StringBuilder text = new StringBuilder(64);
        if (report.errors().isEmpty())
        {
            text.append("none");
        }
        else
        {
            text.append(report.errorsTotal()).append(" (");
            boolean first = true;
            for (final Map.Entry<String, Long> error : report.errors().entrySet())
            {
                text.append(first ? "" : ", ").append(error.getKey()).append(' ').append(error.getValue());
                first = false;
            }
            text.append(')');
        }
        if (report.warmupErrors() > 0)
        {
            text.append("; ").append(report.warmupErrors()).append(" during the warm-up, not counted");
        }
        return text.toString();
    }

    /** Microseconds as milliseconds with three decimals. */
    public static String millis(final long micros)
    {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    private static String percentileRow(final String name, final String[] cells, final int width)
    {
        final StringBuilder row = new StringBuilder("  ").append(pad(name, 9, false));
        for (final String cell : cells)
        {
            row.append(' ').append(pad(cell, width, true));
        }
        return row.toString();
    }

    private static String count(final Histogram histogram)
    {
        return String.format(Locale.ROOT, "(%d values, mean %s)", histogram.getTotalCount(),
            millis(Math.round(histogram.getMean())));
    }

    private static String row(final String name, final String value)
    {
        return "  " + pad(name, 9, false) + " " + value;
    }

    private static String pad(final String text, final int width, final boolean right)
    {
        if (text.length() >= width)
        {
            return text;
        }
        final String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }

    private static String number(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String seconds(final double seconds)
    {
        return number(seconds) + " s";
    }

    private static String bytes(final long bytes, final double seconds)
    {
        return String.format(Locale.ROOT, "%d B (%s/s)", bytes, scaled(seconds > 0 ? bytes / seconds : 0));
    }

    private static String scaled(final double bytesPerSecond)
    {
        if (bytesPerSecond >= 1e9)
        {
            return String.format(Locale.ROOT, "%.2f GB", bytesPerSecond / 1e9);
        }
        if (bytesPerSecond >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2f MB", bytesPerSecond / 1e6);
        }
        if (bytesPerSecond >= 1e3)
        {
            return String.format(Locale.ROOT, "%.1f kB", bytesPerSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f B", bytesPerSecond);
    }
}
