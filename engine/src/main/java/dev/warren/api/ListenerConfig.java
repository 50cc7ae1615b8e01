package dev.warren.api;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A front door for callers that are not Java (SPEC §6): each accepted connection becomes a binding call.
 * Exactly one of {@code fetch} and {@code connect} is set. Immutable.
 *
 * @param listen  where to accept.
 * @param fetch   a binding name: each HTTP request becomes its {@code fetch()} (a reverse proxy into a VPC Service,
 *                an HTTP forward proxy with {@code CONNECT} into a VPC Network).
 * @param connect a binding name: each TCP connection becomes its {@code connect(target)}.
 * @param target  for {@code connect} on a VPC Network: {@code host:port} (bracketed IPv6); null for a tcp service,
 *                whose target is fixed.
 * @param maxConnections client connections open at once; a client beyond it is turned away at once (a
 *                {@code fetch} listener answers 503 {@code connection_limit_reached}, a {@code connect} listener
 *                resets it). Default {@value #DEFAULT_MAX_CONNECTIONS}.
 * @param maxBodyBytes for {@code fetch} listeners: the largest request body a client may send, 0 for no limit
 *                (the default). A {@code Content-Length} above it is answered 413 before anything goes upstream;
 *                a chunked body that grows past it is cut (the stream is reset, so the private host never sees a
 *                complete request) and answered 413 when no response has started.
 */
public record ListenerConfig(
    InetSocketAddress listen, String fetch, String connect, String target, int maxConnections, long maxBodyBytes)
{
    /** Client connections a listener holds at once unless configured otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /**
     * A listener with the default connection limit.
     *
     * @param listen  where to accept.
     * @param fetch   the binding for {@code fetch()}, or null.
     * @param connect the binding for {@code connect()}, or null.
     * @param target  for {@code connect} on a VPC Network: {@code host:port}; otherwise null.
     */
    public ListenerConfig(final InetSocketAddress listen, final String fetch, final String connect, final String target)
    {
        this(listen, fetch, connect, target, DEFAULT_MAX_CONNECTIONS, 0);
    }

    /**
     * A listener without a body limit.
     *
     * @param listen         where to accept.
     * @param fetch          the binding for {@code fetch()}, or null.
     * @param connect        the binding for {@code connect()}, or null.
     * @param target         for {@code connect} on a VPC Network: {@code host:port}; otherwise null.
     * @param maxConnections client connections open at once, 1..1000000.
     */
    public ListenerConfig(
        final InetSocketAddress listen, final String fetch, final String connect, final String target,
        final int maxConnections)
    {
        this(listen, fetch, connect, target, maxConnections, 0);
    }

    /**
     * Checks and creates a listener.
     *
     * @param listen  where to accept; not null.
     * @param fetch   the binding for {@code fetch()}, or null.
     * @param connect the binding for {@code connect()}, or null.
     * @param target  for {@code connect} on a VPC Network: {@code host:port}; otherwise null.
     * @throws NullPointerException     when {@code listen} is null.
     * @param maxConnections client connections open at once, 1..1000000.
     * @param maxBodyBytes   for a {@code fetch} listener: the largest request body, 0 for none; at least 0.
     * @throws IllegalArgumentException when not exactly one of {@code fetch} and {@code connect} is set, or a
     *                                  {@code fetch} listener has a target, or a limit is out of range, or a
     *                                  {@code connect} listener has a body limit.
     */
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
        if (maxConnections < 1 || maxConnections > 1_000_000)
        {
            throw new IllegalArgumentException("maxConnections must be 1..1000000: " + maxConnections);
        }
        if (maxBodyBytes < 0)
        {
            throw new IllegalArgumentException("maxBodyBytes must be 0 (no limit) or more: " + maxBodyBytes);
        }
        if (connect != null && maxBodyBytes != 0)
        {
            throw new IllegalArgumentException("listener " + listen + ": maxBodyBytes applies to fetch listeners only");
        }
    }

    /**
     * @param maxConnections client connections open at once, 1..1000000.
     * @return this listener with that limit.
     */
    public ListenerConfig withMaxConnections(final int maxConnections)
    {
        return new ListenerConfig(listen, fetch, connect, target, maxConnections, maxBodyBytes);
    }

    /**
     * @param maxBodyBytes the largest request body a client of this {@code fetch} listener may send; 0 for no limit.
     * @return this listener with that limit.
     */
    public ListenerConfig withMaxBodyBytes(final long maxBodyBytes)
    {
        return new ListenerConfig(listen, fetch, connect, target, maxConnections, maxBodyBytes);
    }

    /**
     * A listener whose TCP connections each become a {@code connect()} on {@code binding}.
     *
     * @param listen  where to accept.
     * @param binding the binding's name.
     * @param target  {@code host:port} for a VPC Network; null for a tcp VPC Service.
     * @return the listener.
     * @throws NullPointerException when {@code listen} or {@code binding} is null.
     */
    public static ListenerConfig connect(final InetSocketAddress listen, final String binding, final String target)
    {
        return new ListenerConfig(listen, null, binding, target);
    }

    /**
     * A listener whose HTTP requests each become a {@code fetch()} on {@code binding}: a reverse proxy for a VPC
     * Service, a forward proxy (absolute-form requests and {@code CONNECT}) for a VPC Network.
     *
     * @param listen  where to accept.
     * @param binding the binding's name.
     * @return the listener.
     * @throws NullPointerException when {@code listen} or {@code binding} is null.
     */
    public static ListenerConfig fetch(final InetSocketAddress listen, final String binding)
    {
        return new ListenerConfig(listen, binding, null, null);
    }
}
