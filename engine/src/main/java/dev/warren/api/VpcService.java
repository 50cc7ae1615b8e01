package dev.warren.api;

/**
 * A VPC Service binding (SPEC §2): the configured host and port decide where every call goes. Thread-safe.
 */
public interface VpcService
{
    /**
     * The binding's name.
     *
     * @return the name from the edge configuration.
     */
    String name();

    /**
     * How it is configured.
     *
     * @return the binding's configuration.
     */
    ServiceConfig config();

    /**
     * Opens a TCP stream to the service's host and {@code tcpPort}. Failures to reach the host are reported
     * through {@link TcpSocket#opened()}.
     *
     * @param options the call's options.
     * @return the socket, at once.
     * @throws WarrenException with {@code request_invalid} for an HTTP service (use {@code fetch()}) or an
     *                         unsupported option.
     */
    TcpSocket connect(ConnectOptions options);

    /**
     * Opens a TCP stream with {@link ConnectOptions#DEFAULTS}; see {@link #connect(ConnectOptions)}.
     *
     * @return the socket, at once.
     * @throws WarrenException with {@code request_invalid} for an HTTP service.
     */
    default TcpSocket connect()
    {
        return connect(ConnectOptions.DEFAULTS);
    }
}
