package dev.warren.cli;

/**
 * The options of {@code warren demo}. Immutable.
 *
 * @param durationSeconds the measured window of each round-trip load, after its warm-up.
 * @param streams         concurrent closed-loop streams (connections when direct).
 * @param help            {@code --help} was given: print the usage and run nothing.
 */
record DemoOptions(int durationSeconds, int streams, boolean help)
{
    static final int DEFAULT_DURATION_SECONDS = 5;
    static final int DEFAULT_STREAMS = 64;
    static final int MAX_DURATION_SECONDS = 3600;
    static final int MAX_STREAMS = 10_000;

    static final String USAGE = String.join(System.lineSeparator(),
        "usage: warren demo [--duration SECONDS] [--streams N]",
        "",
        "Runs the whole topology in one process, on 127.0.0.1 only: a private TCP echo service and HTTP service,",
        "an edge with one tunnel and one VPC Network binding, and a connector with 4 tunnel connections. Shows",
        "connect() and fetch() working, then measures the same loads through the tunnel and directly, and prints",
        "comparison tables:",
        "  round trips   N streams, each a closed loop of 64-byte requests and their echoes (random bytes, every",
        "                echoed byte checked), for the duration after a 1 s warm-up; latencies in microseconds",
        "  bulk          one stream echoing 64 MiB, written and read back at once; MB/s (10^6 bytes per second)",
        "  fetch         up to 16 requests in flight (GET of the private HTTP service), 0.3 s warm-up + 1 s measured:",
        "                fetch() through the tunnel, keep-alive connections directly; requests/s, latencies, errors",
        "Before the loads, one POST through fetch() streams an 8 MiB body (chunked) and checks the SHA-256 the",
        "private service computed.",
        "Exits 0 when every byte matched and nothing failed, 1 otherwise.",
        "",
        "options:",
        "  --duration SECONDS   measured seconds of each round-trip load, 1.." + MAX_DURATION_SECONDS +
            " (default " + DEFAULT_DURATION_SECONDS + ")",
        "  --streams N          concurrent streams, 1.." + MAX_STREAMS + " (default " + DEFAULT_STREAMS + ")",
        "  -h, --help           print this help");

    /** Parses the arguments after {@code demo}, in {@code --name value} or {@code --name=value} form. */
    static DemoOptions parse(final String[] args, final int from) throws UsageException
    {
        int duration = DEFAULT_DURATION_SECONDS;
        int streams = DEFAULT_STREAMS;
        for (int i = from; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            final String inlineValue = name.length() < arg.length() ? arg.substring(equals + 1) : null;
            switch (name)
            {
                case "-h":
                case "--help":
                    return new DemoOptions(duration, streams, true);
                case "--duration":
                    duration = intValue(name, inlineValue != null ? inlineValue : next(args, i++, name),
                        1, MAX_DURATION_SECONDS);
                    break;
                case "--streams":
                    streams = intValue(name, inlineValue != null ? inlineValue : next(args, i++, name),
                        1, MAX_STREAMS);
                    break;
                default:
                    throw new UsageException(arg.startsWith("-") ?
                        "demo: unknown option '" + arg + "'" : "demo: unexpected argument '" + arg + "'");
            }
        }
        return new DemoOptions(duration, streams, false);
    }

    private static String next(final String[] args, final int index, final String name) throws UsageException
    {
        if (index + 1 >= args.length)
        {
            throw new UsageException("demo: option '" + name + "' needs a value");
        }
        return args[index + 1];
    }

    private static int intValue(final String name, final String value, final int min, final int max)
        throws UsageException
    {
        final int parsed;
        try
        {
            parsed = Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException("demo: option '" + name + "' needs a whole number, got '" + value + "'");
        }
        if (parsed < min || parsed > max)
        {
            throw new UsageException("demo: option '" + name + "' must be " + min + ".." + max + ", got " + parsed);
        }
        return parsed;
    }
}
