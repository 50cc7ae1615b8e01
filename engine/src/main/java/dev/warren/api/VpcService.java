package dev.warren.api;

/**
 * A VPC Service binding (SPEC §2): the configured host and port decide where every call goes. Thread-safe.
 */
public interface VpcService
{
    /** The binding's name. */
    String name();

    /** How it is configured. */
    ServiceConfig config();

    /**
     * Opens a TCP stream to the service's host and {@code tcpPort}.
     *
     * @throws WarrenException with {@code request_invalid} for an HTTP service (use {@code fetch()}) or an
     *                         unsupported option.
     */
    TcpSocket connect(ConnectOptions options);

    default TcpSocket connect()
    {
        return connect(ConnectOptions.DEFAULTS);
    }
}
