package dev.warren.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP header fields: names compare case-insensitively, a name may repeat, order is kept. Immutable.
 */
public final class HttpHeaders
{
    /** No fields. */
    public static final HttpHeaders EMPTY = new HttpHeaders(List.of());

    private final List<Map.Entry<String, String>> fields;

    private HttpHeaders(final List<Map.Entry<String, String>> fields)
    {
        this.fields = fields;
    }

    /**
     * @param namesAndValues name, value, name, value, ...
     * @return those fields, in that order.
     * @throws IllegalArgumentException for an odd number of arguments.
     */
    public static HttpHeaders of(final String... namesAndValues)
    {
        if (namesAndValues.length % 2 != 0)
        {
            throw new IllegalArgumentException("HttpHeaders.of takes name, value pairs");
        }
        final List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            fields.add(Map.entry(
                Objects.requireNonNull(namesAndValues[i], "name"), Objects.requireNonNull(namesAndValues[i + 1], "value")));
        }
        return new HttpHeaders(Collections.unmodifiableList(fields));
    }

    /**
     * @param fields name and value pairs, in order.
     * @return those fields.
     */
    public static HttpHeaders of(final List<Map.Entry<String, String>> fields)
    {
        return new HttpHeaders(List.copyOf(fields));
    }

    /**
     * @param name a field name, any case.
     * @return the first value of that field, or null.
     */
    public String first(final String name)
    {
        for (final Map.Entry<String, String> field : fields)
        {
            if (field.getKey().equalsIgnoreCase(name))
            {
                return field.getValue();
            }
        }
        return null;
    }

    /**
     * @param name a field name, any case.
     * @return every value of that field, in order.
     */
    public List<String> all(final String name)
    {
        final List<String> values = new ArrayList<>();
        for (final Map.Entry<String, String> field : fields)
        {
            if (field.getKey().equalsIgnoreCase(name))
            {
                values.add(field.getValue());
            }
        }
        return values;
    }

    /** @return every field, in order. */
    public List<Map.Entry<String, String>> fields()
    {
        return fields;
    }

    /**
     * @param names field names, any case.
     * @return these fields without the named ones.
     */
    public HttpHeaders without(final String... names)
    {
        final List<Map.Entry<String, String>> kept = new ArrayList<>();
        outer:
        for (final Map.Entry<String, String> field : fields)
        {
            for (final String name : names)
            {
                if (field.getKey().equalsIgnoreCase(name))
                {
                    continue outer;
                }
            }
            kept.add(field);
        }
        return new HttpHeaders(Collections.unmodifiableList(kept));
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("HttpHeaders[");
        for (final Map.Entry<String, String> field : fields)
        {
            final String name = field.getKey().toLowerCase(Locale.ROOT);
            text.append(name).append(": ")
                .append("authorization".equals(name) || "cookie".equals(name) ? "<redacted>" : field.getValue())
                .append("; ");
        }
        return text.append(']').toString();
    }
}
