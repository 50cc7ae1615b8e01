package dev.warren.api;

/**
 * A VPC Network binding (SPEC §2): the address given to {@link #connect} decides the destination, within the
 * connector's allow-list. Thread-safe.
 */
public interface VpcNetwork
{
    /**
     * The binding's name.
     *
     * @return the name from the edge configuration.
     */
    String name();

    /**
     * Opens a TCP stream to {@code address} with {@link ConnectOptions#DEFAULTS}; see
     * {@link #connect(String, int, ConnectOptions)}.
     *
     * @param address {@code "host:port"}, IPv6 as {@code "[::1]:6379"}.
     * @return the socket, at once; {@link TcpSocket#opened()} tells whether the private host accepted.
     * @throws WarrenException with {@code request_invalid} when the address is malformed.
     */
    default TcpSocket connect(final String address)
    {
        return connect(address, ConnectOptions.DEFAULTS);
    }

    /**
     * Opens a TCP stream to {@code address} ({@code "host:port"}, IPv6 bracketed).
     *
     * @param address {@code "host:port"}, IPv6 as {@code "[::1]:6379"}.
     * @param options the call's options.
     * @return the socket, at once; {@link TcpSocket#opened()} tells whether the private host accepted.
     * @throws WarrenException with {@code request_invalid} when the address is malformed.
     */
    TcpSocket connect(String address, ConnectOptions options);

    /**
     * Opens a TCP stream to {@code host} and {@code port}. Failures to reach the host are reported through
     * {@link TcpSocket#opened()}.
     *
     * @param host    an IPv4 or IPv6 address or a host name, resolved on the connector's side.
     * @param port    1..65535.
     * @param options the call's options.
     * @return the socket, at once; {@link TcpSocket#opened()} tells whether the private host accepted.
     * @throws WarrenException with {@code request_invalid} when the host or port is malformed, or a secure
     *                         transport is asked for (not yet supported).
     */
    TcpSocket connect(String host, int port, ConnectOptions options);
}
