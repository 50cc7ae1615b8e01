package dev.warren.api;

/** Why a binding call failed (SPEC §5). */
public enum ErrorCode
{
    /** The private host refused the TCP connection. */
    CONNECTION_REFUSED("connection_refused", 1),
    /** Connecting to the private host timed out. */
    CONNECTION_TIMEOUT("connection_timeout", 2),
    /** The host or the tunnel closed before the response or stream completed. */
    CONNECTION_TERMINATED("connection_terminated", 3),
    /** A configured concurrency limit for the binding or host is full. */
    CONNECTION_LIMIT_REACHED("connection_limit_reached", 4),
    /** No live connector connection for the tunnel. */
    DESTINATION_UNAVAILABLE("destination_unavailable", 5),
    /** The connector's allow-list does not permit the destination. */
    DESTINATION_NOT_ALLOWED("destination_not_allowed", 6),
    /** The connector could not resolve the host name. */
    DNS_ERROR("dns_error", 7),
    /** TLS handshake or certificate verification with the private host failed. */
    TLS_ERROR("tls_error", 8),
    /** The peer broke the HTTP/1.1 or tunnel protocol. */
    PROTOCOL_ERROR("protocol_error", 9),
    /** The caller's request is malformed. */
    REQUEST_INVALID("request_invalid", 10);

    private final String code;
    private final int wireCode;

    ErrorCode(final String code, final int wireCode)
    {
        this.code = code;
        this.wireCode = wireCode;
    }

    /**
     * The code as SPEC §5 writes it.
     *
     * @return the code, e.g. {@code connection_refused}.
     */
    public String code()
    {
        return code;
    }

    /**
     * The code on the tunnel wire (PROTOCOL.md §5).
     *
     * @return the wire code.
     */
    public int wireCode()
    {
        return wireCode;
    }

    /**
     * Maps a wire code to the caller's code; tunnel-internal codes become {@link #CONNECTION_TERMINATED}.
     *
     * @param wireCode a code read from the tunnel.
     * @return the matching code, or {@link #CONNECTION_TERMINATED} for an unknown one.
     */
    public static ErrorCode fromWire(final int wireCode)
    {
        for (final ErrorCode value : values())
        {
            if (value.wireCode == wireCode)
            {
                return value;
            }
        }
        return CONNECTION_TERMINATED;
    }

    @Override
    public String toString()
    {
        return code;
    }
}
