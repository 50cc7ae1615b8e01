package dev.warren.api;

/**
 * A VPC Network binding (SPEC §2): the address given to {@link #connect} decides the destination, within the
 * connector's allow-list. Thread-safe.
 */
public interface VpcNetwork
{
    /** The binding's name. */
    String name();

    /** {@code "host:port"}, IPv6 as {@code "[::1]:6379"}; see {@link #connect(String, int, ConnectOptions)}. */
    default TcpSocket connect(final String address)
    {
        return connect(address, ConnectOptions.DEFAULTS);
    }

    /**
     * Opens a TCP stream to {@code address} ({@code "host:port"}, IPv6 bracketed).
     *
     * @throws WarrenException with {@code request_invalid} when the address is malformed.
     */
    TcpSocket connect(String address, ConnectOptions options);

    /**
     * Opens a TCP stream to {@code host} and {@code port}. Failures to reach the host are reported through
     * {@link TcpSocket#opened()}.
     *
     * @throws WarrenException with {@code request_invalid} when the host or port is malformed, or a secure
     *                         transport is asked for (not yet supported).
     */
    TcpSocket connect(String host, int port, ConnectOptions options);
}
