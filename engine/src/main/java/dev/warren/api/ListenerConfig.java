package dev.warren.api;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A front door for callers that are not Java (SPEC §6): each accepted connection becomes a binding call.
 * Exactly one of {@code fetch} and {@code connect} is set. Immutable.
 *
 * @param listen  where to accept.
 * @param fetch   a binding name: each HTTP request becomes its {@code fetch()} (not yet supported).
 * @param connect a binding name: each TCP connection becomes its {@code connect(target)}.
 * @param target  for {@code connect} on a VPC Network: {@code host:port} (bracketed IPv6); null for a tcp service,
 *                whose target is fixed.
 */
public record ListenerConfig(InetSocketAddress listen, String fetch, String connect, String target)
{
    public ListenerConfig
    {
        Objects.requireNonNull(listen, "listen");
        if ((fetch == null) == (connect == null))
        {
            throw new IllegalArgumentException("listener " + listen + " needs exactly one of fetch and connect");
        }
        if (fetch != null && target != null)
        {
            throw new IllegalArgumentException("listener " + listen + ": target applies to connect listeners only");
        }
    }

    public static ListenerConfig connect(final InetSocketAddress listen, final String binding, final String target)
    {
        return new ListenerConfig(listen, null, binding, target);
    }

    public static ListenerConfig fetch(final InetSocketAddress listen, final String binding)
    {
        return new ListenerConfig(listen, binding, null, null);
    }
}
