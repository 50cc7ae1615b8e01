package dev.warren.cli;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The options of {@code warren edge} and {@code warren connector}: {@code --config FILE} (or {@code --config=FILE}),
 * {@code --grace SECONDS} (or {@code --grace=SECONDS}), {@code -h}/{@code --help}. Immutable.
 *
 * @param config the YAML file; null only with {@code help}.
 * @param grace  how long a drain on SIGTERM lets streams in flight finish (default 30 s).
 * @param help   {@code --help} was given: print the usage and run nothing.
 */
record ConfigOptions(Path config, Duration grace, boolean help)
{
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    /** The longest grace period accepted: an hour. */
    static final long MAX_GRACE_SECONDS = 3600;

    static final String OPTIONS_USAGE = String.join(System.lineSeparator(),
        "  --config FILE      the YAML file",
        "  --grace SECONDS    on SIGTERM or Ctrl-C, how long streams in flight may take to finish (default 30);",
        "                     a second signal stops at once",
        "  -h, --help         print this help");

    /** Parses the arguments after the command name {@code command}. */
    static ConfigOptions parse(final String command, final String[] args, final int from) throws UsageException
    {
        Path config = null;
        Duration grace = null;
        for (int i = from; i < args.length; i++)
        {
            final String arg = args[i];
            if ("-h".equals(arg) || "--help".equals(arg))
            {
                return new ConfigOptions(null, DEFAULT_GRACE, true);
            }
            final String name;
            final String value;
            if ("--config".equals(arg) || "--grace".equals(arg))
            {
                name = arg;
                if (i + 1 >= args.length)
                {
                    throw new UsageException(command + ": option '" + name + "' needs a value");
                }
                value = args[++i];
            }
            else if (arg.startsWith("--config=") || arg.startsWith("--grace="))
            {
                name = arg.substring(0, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            }
            else
            {
                throw new UsageException(arg.startsWith("-") ?
                    command + ": unknown option '" + arg + "'" : command + ": unexpected argument '" + arg + "'");
            }
            if (value.isEmpty())
            {
                throw new UsageException(command + ": option '" + name + "' needs a value");
            }
            if ("--config".equals(name))
            {
                if (config != null)
                {
                    throw new UsageException(command + ": '--config' given twice");
                }
                config = Path.of(value);
            }
            else
            {
                if (grace != null)
                {
                    throw new UsageException(command + ": '--grace' given twice");
                }
                grace = parseGrace(command, value);
            }
        }
        if (config == null)
        {
            throw new UsageException(command + ": --config FILE is required");
        }
        return new ConfigOptions(config, grace == null ? DEFAULT_GRACE : grace, false);
    }

    private static Duration parseGrace(final String command, final String value) throws UsageException
    {
        long seconds = 0;
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9' || i >= 5)
            {
                throw new UsageException(command + ": --grace takes whole seconds, 0.." + MAX_GRACE_SECONDS + ": '" +
                    value + "'");
            }
            seconds = seconds * 10 + (c - '0');
        }
        if (seconds > MAX_GRACE_SECONDS)
        {
            throw new UsageException(command + ": --grace takes whole seconds, 0.." + MAX_GRACE_SECONDS + ": '" +
                value + "'");
        }
        return Duration.ofSeconds(seconds);
    }
}
