package dev.warren.loadgen;

import dev.warren.loadgen.drive.LoadPlan;
import dev.warren.loadgen.drive.TcpPattern;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The options of {@code warren loadgen tcp}. Immutable.
 *
 * @param address         {@code HOST:PORT}: the server, or a VPC Network's destination; null for a tcp service.
 * @param via             the edge file to start an edge from; null to go direct.
 * @param binding         the binding of {@code via}.
 * @param connectorWaitNs how long to wait for a connector to dial in to that edge.
 * @param plan            the load.
 * @param maxErrors       errors allowed before the run fails.
 * @param label           the run's name; null for one made up from the options.
 * @param hgrm            where to write the .hgrm distribution; null for nowhere.
 * @param json            where to write the JSON report; null for nowhere.
 * @param html            where to write the HTML page; null for nowhere.
 * @param progress        TRUE or FALSE when {@code --progress}/{@code --no-progress} was given; null to decide by the
 *                        terminal.
 */
record TcpOptions(
    String address, Path via, String binding, long connectorWaitNs, LoadPlan plan, long maxErrors, String label,
    Path hgrm, Path json, Path html, Boolean progress)
{
    static final int DEFAULT_CONNECTIONS = 10;
    static final int DEFAULT_SIZE = 64;
    static final long DEFAULT_DURATION_NS = TimeUnit.SECONDS.toNanos(10);
    static final long DEFAULT_WARMUP_NS = TimeUnit.SECONDS.toNanos(1);
    static final long DEFAULT_CONNECTOR_WAIT_NS = TimeUnit.SECONDS.toNanos(30);
    /** The largest request: 64 MiB, far above any sensible one, and well inside an int. */
    static final int MAX_SIZE = 64 * 1024 * 1024;
    static final int MAX_CONNECTIONS = 100_000;

    /** Parses the arguments after {@code tcp}. @return null when {@code --help} was asked for. */
    static TcpOptions parse(final String[] args, final int from) throws LoadgenUsageException
    {
        final ArgumentCursor cursor = new ArgumentCursor("loadgen tcp", args, from);
        final SharedLoadOptions shared = new SharedLoadOptions();
        String address = null;
        TcpPattern pattern = null;
        int size = DEFAULT_SIZE;
        boolean verify = true;
        while (cursor.hasNext())
        {
            final String arg = cursor.next();
            if (shared.accept(arg, cursor))
            {
                continue;
            }
            switch (arg)
            {
                case "-h", "--help" -> {
                    return null;
                }
                case "--echo", "--bulk" -> {
                    cursor.noValue();
                    final TcpPattern chosen = "--echo".equals(arg) ? TcpPattern.ECHO : TcpPattern.BULK;
                    if (pattern != null && pattern != chosen)
                    {
                        throw cursor.usage("give --echo or --bulk, not both");
                    }
                    pattern = chosen;
                }
                case "-s", "--size" -> size = cursor.sizeValue(1, MAX_SIZE);
                case "--no-verify" -> {
                    cursor.noValue();
                    verify = false;
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1)
                    {
                        throw cursor.usage("unknown option '" + arg + "'");
                    }
                    if (address != null)
                    {
                        throw cursor.usage("one HOST:PORT only; also got '" + arg + "'");
                    }
                    address = arg;
                }
            }
        }
        shared.finish(cursor);
        if (shared.via == null && address == null)
        {
            throw cursor.usage("give the server as HOST:PORT");
        }
        if (address != null)
        {
            checkAddress(cursor, address);
        }
        final LoadPlan plan = new LoadPlan(pattern == null ? TcpPattern.ECHO : pattern, size, shared.rate,
            shared.connections, shared.loops, shared.durationNs, shared.warmupNs, shared.timeoutNs,
            shared.connectTimeoutNs, verify);
        return new TcpOptions(address, shared.via, shared.binding, shared.connectorWaitNs, plan, shared.maxErrors,
            shared.label, shared.hgrm, shared.json, shared.html, shared.progress);
    }

    /** The label given, or one that says what the run was. */
    String labelOrDefault()
    {
        if (label != null)
        {
            return label;
        }
        return "tcp " + plan.pattern().label() + " " + plan.size() + " B " +
            SharedLoadOptions.labelSuffix(via, binding, plan);
    }

    /** The host of {@code HOST:PORT} (brackets of an IPv6 address removed). */
    static String host(final String address)
    {
        final int colon = address.lastIndexOf(':');
        final String host = address.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of a checked {@code HOST:PORT}. */
    static int port(final String address)
    {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static void checkAddress(final ArgumentCursor cursor, final String address) throws LoadgenUsageException
    {
        final int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1)
        {
            throw cursor.usage("HOST:PORT expected (IPv6 as [::1]:7000): '" + address + "'");
        }
        final String host = address.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]")))
        {
            throw cursor.usage("an IPv6 address goes in brackets, as [::1]:7000: '" + address + "'");
        }
        try
        {
            final int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535)
            {
                throw cursor.usage("port must be 1..65535: '" + address + "'");
            }
        }
        catch (final NumberFormatException ex)
        {
            throw cursor.usage("HOST:PORT expected, the port is not a number: '" + address + "'");
        }
    }
}
