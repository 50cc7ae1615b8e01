package dev.warren.engine.connector;

import dev.warren.engine.net.HostPort;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The connector's second fence (SPEC §2, §7): which destinations it may dial. Entries are CIDR ranges or single
 * addresses ({@code 127.0.0.0/8}, {@code ::1}), host names ({@code db.internal}, or {@code *.internal} for any
 * name below it), each with an optional port ({@code db.internal:5432}, {@code [::1]:22},
 * {@code 10.0.0.0/8:443}). An empty list allows nothing.
 * <p>
 * A host name is allowed when a name entry matches it, or when the address it resolves to is in a range entry.
 * Immutable; thread-safe.
 */
public final class AllowList
{
    private final List<Entry> entries;

    private AllowList(final List<Entry> entries)
    {
        this.entries = entries;
    }

    /**
     * @throws IllegalArgumentException naming the bad entry.
     */
    public static AllowList parse(final List<String> specs)
    {
        final List<Entry> entries = new ArrayList<>();
        for (final String spec : specs)
        {
            entries.add(parseEntry(spec.trim()));
        }
        return new AllowList(List.copyOf(entries));
    }

    /** True when some name entry matches {@code host} and {@code port}. */
    public boolean permitsName(final String host, final int port)
    {
        final String name = host.toLowerCase(Locale.ROOT);
        for (final Entry entry : entries)
        {
            if (entry.name != null && entry.portMatches(port) && entry.nameMatches(name))
            {
                return true;
            }
        }
        return false;
    }

    /** True when some range entry contains {@code address} and matches {@code port}. */
    public boolean permitsAddress(final InetAddress address, final int port)
    {
        final byte[] bytes = address.getAddress();
        for (final Entry entry : entries)
        {
            if (entry.network != null && entry.portMatches(port) && entry.contains(bytes))
            {
                return true;
            }
        }
        return false;
    }

    /** True when resolving a name could lead to an allowed address (there is a range entry for that port). */
    public boolean hasRangesFor(final int port)
    {
        for (final Entry entry : entries)
        {
            if (entry.network != null && entry.portMatches(port))
            {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty()
    {
        return entries.isEmpty();
    }

    private static Entry parseEntry(final String spec)
    {
        if (spec.isEmpty())
        {
            throw new IllegalArgumentException("empty allow-list entry");
        }
        String target = spec;
        int port = 0;
        if (spec.startsWith("["))
        {
            final int close = spec.indexOf(']');
            if (close < 0)
            {
                throw new IllegalArgumentException("allow-list entry '" + spec + "': missing ']'");
            }
            target = spec.substring(1, close);
            final String rest = spec.substring(close + 1);
            if (!rest.isEmpty())
            {
                if (!rest.startsWith(":"))
                {
                    throw new IllegalArgumentException("allow-list entry '" + spec + "': expected :port after ']'");
                }
                port = parsePort(rest.substring(1), spec);
            }
        }
        else if (spec.indexOf(':') == spec.lastIndexOf(':') && spec.indexOf(':') >= 0)
        {
            final int colon = spec.indexOf(':');
            target = spec.substring(0, colon);
            port = parsePort(spec.substring(colon + 1), spec);
        }

        final int slash = target.indexOf('/');
        final String addressPart = slash < 0 ? target : target.substring(0, slash);
        if (HostPort.isIpv4Literal(addressPart) || HostPort.isIpv6Literal(addressPart))
        {
            final byte[] network = HostPort.literalAddress(addressPart).getAddress();
            int prefix = network.length * 8;
            if (slash >= 0)
            {
                prefix = parseDecimal(target.substring(slash + 1), 3);
                if (prefix < 0)
                {
                    throw new IllegalArgumentException("allow-list entry '" + spec + "': bad prefix length");
                }
                if (prefix < 0 || prefix > network.length * 8)
                {
                    throw new IllegalArgumentException("allow-list entry '" + spec + "': prefix length out of range");
                }
            }
            return new Entry(null, network, prefix, port);
        }
        if (slash >= 0)
        {
            throw new IllegalArgumentException("allow-list entry '" + spec + "': a range needs an IP address");
        }
        final String name = target.toLowerCase(Locale.ROOT);
        final String check = name.startsWith("*.") ? name.substring(2) : name;
        final String problem = HostPort.checkHost(check);
        if (problem != null)
        {
            throw new IllegalArgumentException("allow-list entry '" + spec + "': " + problem);
        }
        return new Entry(name, null, 0, port);
    }

    private static int parsePort(final String text, final String spec)
    {
        final int port = parseDecimal(text, 5);
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("allow-list entry '" + spec + "': port must be 1..65535");
        }
        return port;
    }

    /** ASCII digits only (no sign, no other scripts' digits), at most {@code maxDigits}; -1 when not a number. */
    private static int parseDecimal(final String text, final int maxDigits)
    {
        if (text.isEmpty() || text.length() > maxDigits)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private record Entry(String name, byte[] network, int prefix, int port)
    {
        boolean portMatches(final int candidate)
        {
            return port == 0 || port == candidate;
        }

        boolean nameMatches(final String candidate)
        {
            if (name.startsWith("*."))
            {
                return candidate.endsWith(name.substring(1)) && candidate.length() > name.length() - 1;
            }
            return name.equals(candidate);
        }

        boolean contains(final byte[] address)
        {
            if (address.length != network.length)
            {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < address.length && bits > 0; i++, bits -= 8)
            {
                final int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((address[i] & mask) != (network[i] & mask))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
