package dev.warren.api;

import java.util.Objects;

/**
 * A VPC Service binding: a fixed target that callers cannot change (SPEC §2). Immutable.
 *
 * @param name             the binding's name.
 * @param tunnel           the tunnel id it routes through.
 * @param type             {@link ServiceType#HTTP} or {@link ServiceType#TCP}.
 * @param host             IPv4, IPv6 or a host name resolved on the connector's side.
 * @param httpPort         for HTTP services: the port for {@code http} URLs, 0 when {@code http} is refused.
 * @param httpsPort        for HTTP services: the port for {@code https} URLs, 0 when {@code https} is refused.
 * @param tcpPort          for TCP services: the port.
 * @param certVerification for {@code https}: how the connector verifies the host.
 */
public record ServiceConfig(
    String name, String tunnel, ServiceType type, String host, int httpPort, int httpsPort, int tcpPort,
    CertVerification certVerification)
{
    /** The usual port for {@code http}. */
    public static final int DEFAULT_HTTP_PORT = 80;
    /** The usual port for {@code https}. */
    public static final int DEFAULT_HTTPS_PORT = 443;

    /**
     * Checks and creates the binding.
     *
     * @param name             the binding's name; not empty.
     * @param tunnel           the tunnel id it routes through.
     * @param type             {@link ServiceType#HTTP} or {@link ServiceType#TCP}.
     * @param host             the private host; not empty.
     * @param httpPort         for HTTP: the {@code http} port, 0 to refuse {@code http}; 0 for TCP.
     * @param httpsPort        for HTTP: the {@code https} port, 0 to refuse {@code https}; 0 for TCP.
     * @param tcpPort          for TCP: the port; 0 for HTTP.
     * @param certVerification for {@code https}: how the connector verifies the host.
     * @throws NullPointerException     when an argument is null.
     * @throws IllegalArgumentException when a name or host is empty, a port is out of range, or the ports do not
     *                                  fit the type.
     */
    public ServiceConfig
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tunnel, "tunnel");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(certVerification, "certVerification");
        if (name.isEmpty())
        {
            throw new IllegalArgumentException("service name must not be empty");
        }
        if (host.isEmpty())
        {
            throw new IllegalArgumentException("service '" + name + "': host must not be empty");
        }
        checkPort(name, "httpPort", httpPort, true);
        checkPort(name, "httpsPort", httpsPort, true);
        checkPort(name, "tcpPort", tcpPort, true);
        if (type == ServiceType.TCP && tcpPort == 0)
        {
            throw new IllegalArgumentException("service '" + name + "' is type tcp and needs tcpPort");
        }
        if (type == ServiceType.TCP && (httpPort != 0 || httpsPort != 0))
        {
            throw new IllegalArgumentException("service '" + name + "' is type tcp: httpPort/httpsPort do not apply");
        }
        if (type == ServiceType.HTTP && tcpPort != 0)
        {
            throw new IllegalArgumentException("service '" + name + "' is type http: tcpPort does not apply");
        }
        if (type == ServiceType.HTTP && httpPort == 0 && httpsPort == 0)
        {
            throw new IllegalArgumentException("service '" + name + "' needs httpPort or httpsPort");
        }
    }

    /**
     * An HTTP service; pass 0 for a scheme that must be refused.
     *
     * @param name             the binding's name.
     * @param tunnel           the tunnel id it routes through.
     * @param host             the private host.
     * @param httpPort         the port for {@code http} URLs, 0 to refuse {@code http}.
     * @param httpsPort        the port for {@code https} URLs, 0 to refuse {@code https}.
     * @param certVerification how the connector verifies the host on {@code https}.
     * @return the binding.
     * @throws IllegalArgumentException when the values are invalid (see the constructor).
     */
    public static ServiceConfig http(
        final String name, final String tunnel, final String host, final int httpPort, final int httpsPort,
        final CertVerification certVerification)
    {
        return new ServiceConfig(name, tunnel, ServiceType.HTTP, host, httpPort, httpsPort, 0, certVerification);
    }

    /**
     * A TCP service.
     *
     * @param name    the binding's name.
     * @param tunnel  the tunnel id it routes through.
     * @param host    the private host.
     * @param tcpPort the port, 1..65535.
     * @return the binding.
     * @throws IllegalArgumentException when the values are invalid (see the constructor).
     */
    public static ServiceConfig tcp(final String name, final String tunnel, final String host, final int tcpPort)
    {
        return new ServiceConfig(name, tunnel, ServiceType.TCP, host, 0, 0, tcpPort, CertVerification.VERIFY_FULL);
    }

    private static void checkPort(final String name, final String key, final int port, final boolean zeroAllowed)
    {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535)
        {
            throw new IllegalArgumentException("service '" + name + "': " + key + " must be 1..65535: " + port);
        }
    }
}
