package dev.warren.loadgen;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Walks a command line: options as {@code --name value} or {@code --name=value} (and short aliases), values parsed
 * as counts, rates, sizes ({@code 64}, {@code 16k}, {@code 1MiB}) and durations ({@code 10s}, {@code 500ms},
 * {@code 2m}, {@code 250us}; a bare number is seconds), each failure a {@link LoadgenUsageException} that names the
 * option. Not thread-safe.
 */
final class ArgumentCursor
{
    /** Plain decimal numbers only: {@link Double#parseDouble} would also take {@code 10d}, {@code NaN}, hex. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][0-9]+)?");

    private final String command;
    private final String[] args;
    private int index;
    private String option;
    private String inlineValue;

    ArgumentCursor(final String command, final String[] args, final int from)
    {
        this.command = command;
        this.args = args;
        this.index = from;
    }

    boolean hasNext()
    {
        return index < args.length;
    }

    /**
     * Moves to the next argument. @return it, or for {@code --name=value} just {@code --name} (the value is then
     * what {@link #value()} returns).
     */
    String next()
    {
        final String arg = args[index++];
        inlineValue = null;
        option = arg;
        if (arg.startsWith("--"))
        {
            final int equals = arg.indexOf('=');
            if (equals > 0)
            {
                option = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
        }
        return option;
    }

    /** The current option had an {@code =value}: only allowed for options that take one. */
    void noValue() throws LoadgenUsageException
    {
        if (inlineValue != null)
        {
            throw usage("option '" + option + "' takes no value");
        }
    }

    /** The current option's value. */
    String value() throws LoadgenUsageException
    {
        final String value;
        if (inlineValue != null)
        {
            value = inlineValue;
            inlineValue = null;
        }
        else if (index < args.length)
        {
            value = args[index++];
        }
        else
        {
            throw usage("option '" + option + "' needs a value");
        }
        if (value.isEmpty())
        {
            throw usage("option '" + option + "' needs a value");
        }
        return value;
    }

    int intValue(final int min, final int max) throws LoadgenUsageException
    {
        final String value = value();
        try
        {
            final int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max)
            {
                throw usage("option '" + option + "' must be " + min + ".." + max + ": " + value);
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw usage("option '" + option + "' needs a whole number: '" + value + "'");
        }
    }

    long longValue(final long min) throws LoadgenUsageException
    {
        final String value = value();
        try
        {
            final long parsed = Long.parseLong(value);
            if (parsed < min)
            {
                throw usage("option '" + option + "' must be at least " + min + ": " + value);
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw usage("option '" + option + "' needs a whole number: '" + value + "'");
        }
    }

    /** A positive, finite number of requests per second. */
    double rateValue() throws LoadgenUsageException
    {
        final String value = value();
        if (!DECIMAL.matcher(value).matches())
        {
            throw usage("option '" + option + "' needs a number of requests per second: '" + value + "'");
        }
        final double parsed = Double.parseDouble(value);
        if (!(parsed > 0) || Double.isInfinite(parsed))
        {
            throw usage("option '" + option + "' must be positive: " + value);
        }
        return parsed;
    }

    /** Bytes: a number with an optional {@code k}/{@code KiB} (1024) or {@code m}/{@code MiB} (1024²). */
    int sizeValue(final int min, final int max) throws LoadgenUsageException
    {
        final String value = value();
        final String lower = value.toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String digits = lower;
        if (lower.endsWith("kib") || lower.endsWith("k"))
        {
            multiplier = 1024;
            digits = lower.substring(0, lower.length() - (lower.endsWith("kib") ? 3 : 1));
        }
        else if (lower.endsWith("mib") || lower.endsWith("m"))
        {
            multiplier = 1024 * 1024;
            digits = lower.substring(0, lower.length() - (lower.endsWith("mib") ? 3 : 1));
        }
        else if (lower.endsWith("b"))
        {
            digits = lower.substring(0, lower.length() - 1);
        }
        try
        {
            final long bytes = Long.parseLong(digits.strip()) * multiplier;
            if (bytes < min || bytes > max)
            {
                throw usage("option '" + option + "' must be " + min + ".." + max + " bytes: " + value);
            }
            return (int)bytes;
        }
        catch (final NumberFormatException ex)
        {
            throw usage("option '" + option + "' needs a size in bytes (64, 16k, 1MiB): '" + value + "'");
        }
    }

    /** A duration in nanoseconds, at least {@code minNs}. */
    long durationValue(final long minNs) throws LoadgenUsageException
    {
        final String value = value();
        final long nanos = parseDuration(value);
        if (nanos < 0)
        {
            throw usage("option '" + option + "' needs a duration (10s, 500ms, 2m): '" + value + "'");
        }
        if (nanos < minNs)
        {
            throw usage("option '" + option + "' must be at least " + formatDuration(minNs) + ": " + value);
        }
        return nanos;
    }

    LoadgenUsageException usage(final String message)
    {
        return new LoadgenUsageException(command + ": " + message);
    }

    /** @return nanoseconds, or -1 when {@code text} is not a duration. */
    static long parseDuration(final String text)
    {
        final String lower = text.strip().toLowerCase(Locale.ROOT);
        final String[] units = {"ms", "us", "µs", "ns", "s", "m", "h"};
        final long[] nanosPer = {
            TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(1), 1,
            TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(1), TimeUnit.HOURS.toNanos(1)};
        long scale = TimeUnit.SECONDS.toNanos(1);
        String number = lower;
        for (int i = 0; i < units.length; i++)
        {
            if (lower.endsWith(units[i]))
            {
                scale = nanosPer[i];
                number = lower.substring(0, lower.length() - units[i].length());
                break;
            }
        }
        if (!DECIMAL.matcher(number).matches())
        {
            return -1;
        }
        final double value = Double.parseDouble(number);
        if (Double.isInfinite(value) || value * scale > Long.MAX_VALUE / 2.0)
        {
            return -1;
        }
        return Math.round(value * scale);
    }

    static String formatDuration(final long nanos)
    {
        if (nanos % TimeUnit.SECONDS.toNanos(1) == 0)
        {
            return TimeUnit.NANOSECONDS.toSeconds(nanos) + "s";
        }
        if (nanos % TimeUnit.MILLISECONDS.toNanos(1) == 0)
        {
            return TimeUnit.NANOSECONDS.toMillis(nanos) + "ms";
        }
        return TimeUnit.NANOSECONDS.toMicros(nanos) + "us";
    }
}
