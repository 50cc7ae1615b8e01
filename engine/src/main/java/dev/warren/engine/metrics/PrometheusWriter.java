package dev.warren.engine.metrics;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: a {@code # HELP} and {@code # TYPE} line per family,
 * then {@code name{label="value",...} number} lines, label values escaped ({@code \\}, {@code \"}, {@code \n}).
 * Not thread-safe: one per scrape.
 */
public final class PrometheusWriter
{
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family: {@code type} is {@code counter}, {@code gauge} or {@code histogram}. */
    public PrometheusWriter family(final String name, final String type, final String help)
    {
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate names and values. */
    public PrometheusWriter sample(final String name, final double value, final String... labels)
    {
        out.append(name);
        if (labels.length > 0)
        {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1], true);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    private static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "NaN";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return Double.toString(value);
    }

    /** A bucket bound as Prometheus writes it in {@code le}. */
    public static String bound(final double value)
    {
        return number(value);
    }

    private void escape(final String text, final boolean quotes)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '\\')
            {
                out.append("\\\\");
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else if (c == '"' && quotes)
            {
                out.append("\\\"");
            }
            else
            {
                out.append(c);
            }
        }
    }

    @Override
    public String toString()
    {
        return out.toString();
    }
}
