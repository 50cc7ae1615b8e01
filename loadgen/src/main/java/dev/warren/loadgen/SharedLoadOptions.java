package dev.warren.loadgen;

import dev.warren.loadgen.drive.LoadPlan;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The options {@code loadgen tcp} and {@code loadgen http} share (target, load shape, thresholds, reports), gathered
 * while a command line is parsed: each mode's parser offers every argument here first and handles only its own.
 * Mutable; used by one parse on one thread.
 */
final class SharedLoadOptions
{
    Path via;
    String binding;
    long connectorWaitNs = TcpOptions.DEFAULT_CONNECTOR_WAIT_NS;
    double rate;
    int connections = TcpOptions.DEFAULT_CONNECTIONS;
    int loops;
    long durationNs = TcpOptions.DEFAULT_DURATION_NS;
    long warmupNs = TcpOptions.DEFAULT_WARMUP_NS;
    long timeoutNs = LoadPlan.DEFAULT_TIMEOUT_NS;
    long connectTimeoutNs = LoadPlan.DEFAULT_CONNECT_TIMEOUT_NS;
    long maxErrors;
    String label;
    Path hgrm;
    Path json;
    Path html;
    Boolean progress;

    /**
     * @return true when {@code arg} was a shared option (its value, if any, is consumed from {@code cursor}).
     */
    boolean accept(final String arg, final ArgumentCursor cursor) throws LoadgenUsageException
    {
        switch (arg)
        {
            case "--via" -> via = Path.of(cursor.value());
            case "--binding" -> binding = cursor.value();
            case "--connector-wait" -> connectorWaitNs = cursor.durationValue(TimeUnit.MILLISECONDS.toNanos(1));
            case "-R", "--rate" -> rate = cursor.rateValue();
            case "-c", "--connections" -> connections = cursor.intValue(1, TcpOptions.MAX_CONNECTIONS);
            case "-t", "--loops" -> loops = cursor.intValue(1, 1024);
            case "-d", "--duration" -> durationNs = cursor.durationValue(TimeUnit.MILLISECONDS.toNanos(1));
            case "-w", "--warmup" -> warmupNs = cursor.durationValue(0);
            case "--timeout" -> timeoutNs = cursor.durationValue(TimeUnit.MILLISECONDS.toNanos(1));
            case "--connect-timeout" -> connectTimeoutNs = cursor.durationValue(TimeUnit.MILLISECONDS.toNanos(1));
            case "--max-errors" -> maxErrors = cursor.longValue(0);
            case "--label" -> label = cursor.value();
            case "--hgrm" -> hgrm = Path.of(cursor.value());
            case "--json" -> json = Path.of(cursor.value());
            case "--html" -> html = Path.of(cursor.value());
            case "--progress", "--no-progress" -> {
                cursor.noValue();
                progress = "--progress".equals(arg);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Checks what the options say together; picks the loop count when none was given. */
    void finish(final ArgumentCursor cursor) throws LoadgenUsageException
    {
        if (via == null && binding != null)
        {
            throw cursor.usage("--binding needs --via EDGE.yaml");
        }
        if (via != null && binding == null)
        {
            throw cursor.usage("--via needs --binding NAME");
        }
        if (loops == 0)
        {
            loops = Math.min(connections, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        }
        if (loops > connections)
        {
            throw cursor.usage("--loops " + loops + " is more than --connections " + connections);
        }
    }

    /** The end of a made-up label: where the load went, its rate (or closed loop) and connection count. */
    static String labelSuffix(final Path via, final String binding, final LoadPlan plan)
    {
        final StringBuilder made = new StringBuilder(48).append(via != null ? "via " + binding : "direct");
        if (plan.openLoop())
        {
            made.append(" @ ").append(plan.rate() == Math.rint(plan.rate()) ? Long.toString((long)plan.rate()) :
                String.format(Locale.ROOT, "%.1f", plan.rate())).append("/s");
        }
        else
        {
            made.append(", closed loop");
        }
        return made.append(" x").append(plan.connections()).toString();
    }
}
