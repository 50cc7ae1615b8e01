package dev.warren.engine.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A destination as callers write it: {@code host:port}, IPv6 in brackets ({@code [::1]:6379}). Parsing never
 * touches DNS. Immutable.
 *
 * @param host an IPv4 literal, an IPv6 literal without brackets, or a DNS name.
 * @param port 1..65535.
 */
public record HostPort(String host, int port)
{
    /** Longest host name DNS allows. */
    public static final int MAX_HOST_LENGTH = 253;

    /**
     * @throws IllegalArgumentException naming what is wrong.
     */
    public HostPort
    {
        final String problem = checkHost(host);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static HostPort parse(final String address)
    {
        if (address == null || address.isEmpty())
        {
            throw new IllegalArgumentException("address is empty; expected host:port");
        }
        final String host;
        final String port;
        if (address.startsWith("["))
        {
            final int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':')
            {
                throw new IllegalArgumentException("'" + address + "' is not [ipv6]:port");
            }
            host = address.substring(1, close);
            if (!isIpv6Literal(host))
            {
                throw new IllegalArgumentException("'" + host + "' in brackets is not an IPv6 address");
            }
            port = address.substring(close + 2);
        }
        else
        {
            final int colon = address.lastIndexOf(':');
            if (colon < 0)
            {
                throw new IllegalArgumentException("'" + address + "' has no port; expected host:port");
            }
            if (address.indexOf(':') != colon)
            {
                throw new IllegalArgumentException("'" + address + "': write IPv6 addresses in brackets, [::1]:port");
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
        }
        return new HostPort(host, parsePort(port, address));
    }

    private static int parsePort(final String port, final String address)
    {
        if (port.isEmpty() || port.length() > 5)
        {
            throw new IllegalArgumentException("'" + address + "' has no valid port");
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++)
        {
            final char c = port.charAt(i);
            if (c < '0' || c > '9')
            {
                throw new IllegalArgumentException("'" + address + "' has no valid port");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** @return null when {@code host} is an IP literal or a syntactically valid DNS name, else the problem. */
    public static String checkHost(final String host)
    {
        if (host == null || host.isEmpty())
        {
            return "host is empty";
        }
        if (isIpv4Literal(host) || isIpv6Literal(host))
        {
            return null;
        }
        if (host.length() > MAX_HOST_LENGTH)
        {
            return "host name longer than " + MAX_HOST_LENGTH + " characters";
        }
        int labelLength = 0;
        for (int i = 0; i < host.length(); i++)
        {
            final char c = host.charAt(i);
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return "host name '" + host + "' has an empty label";
                }
                labelLength = 0;
            }
            else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
            {
                if (++labelLength > 63)
                {
                    return "host name '" + host + "' has a label longer than 63 characters";
                }
            }
            else
            {
                return "host '" + host + "' has an invalid character '" + c + "'";
            }
        }
        return null;
    }

    public boolean isLiteral()
    {
        return isIpv4Literal(host) || isIpv6Literal(host);
    }

    /** {@code host:port}, or {@code [host]:port} for IPv6. */
    @Override
    public String toString()
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public static boolean isIpv4Literal(final String host)
    {
        int octets = 0;
        int value = -1;
        for (int i = 0; i <= host.length(); i++)
        {
            final char c = i == host.length() ? '.' : host.charAt(i);
            if (c == '.')
            {
                if (value < 0 || value > 255)
                {
                    return false;
                }
                octets++;
                value = -1;
            }
            else if (c >= '0' && c <= '9')
            {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }
        return octets == 4;
    }

    public static boolean isIpv6Literal(final String host)
    {
        if (host.indexOf(':') < 0 || host.length() > 45)
        {
            return false;
        }
        // The JDK parses a literal only when it starts with a hex digit or ':'; anything else would go to DNS.
        if (Character.digit(host.charAt(0), 16) == -1 && host.charAt(0) != ':')
        {
            return false;
        }
        for (int i = 0; i < host.length(); i++)
        {
            final char c = host.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
            {
                return false;
            }
        }
        try
        {
            InetAddress.getByName(host);
            return true;
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    /**
     * The address of an IP literal, without DNS.
     *
     * @throws IllegalArgumentException when {@code host} is not a literal.
     */
    public static InetAddress literalAddress(final String host)
    {
        if (!isIpv4Literal(host) && !isIpv6Literal(host))
        {
            throw new IllegalArgumentException("not an IP literal: " + host);
        }
        try
        {
            return InetAddress.getByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("not an IP literal: " + host, ex);
        }
    }
}
