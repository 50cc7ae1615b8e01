package dev.warren.engine.fetch;

import dev.warren.api.TcpSocket;
import dev.warren.engine.net.HostPort;

import java.net.URI;

/**
 * Where a binding sends a fetch: a VPC Network takes the URL's host and port; a VPC Service always its configured
 * host and the port of the URL's scheme. Implementations are immutable and thread-safe.
 */
public interface FetchRoute
{
    /** @return the binding's name, for messages. */
    String bindingName();

    /**
     * @param url an absolute http URL (already checked).
     * @return the destination for this URL.
     * @throws dev.warren.api.WarrenException with {@code request_invalid} when the binding refuses the URL's scheme.
     */
    HostPort destination(URI url);

    /**
     * @param destination where to send the request.
     * @return a socket for one HTTP/1.1 exchange with it: an http stream, which the connector relays over a pooled
     * keep-alive connection. Write one request; the response follows, then the end of stream.
     */
    TcpSocket openHttp(HostPort destination);

    /**
     * @return how the connector verifies the host's certificate for {@code https}: a VPC Service's
     * {@code certVerification}; {@code verify_full} for a VPC Network.
     */
    default dev.warren.api.CertVerification certVerification()
    {
        return dev.warren.api.CertVerification.VERIFY_FULL;
    }

    /**
     * @param destination where to send the request.
     * @param tls         null for {@code http}; for {@code https}, the TLS the connector originates to the host.
     * @return as {@link #openHttp(HostPort)}, the connector speaking TLS to the host when {@code tls} is given.
     * @throws dev.warren.api.WarrenException with {@code request_invalid} when the route cannot originate TLS.
     */
    default TcpSocket openHttp(HostPort destination, OriginTls tls)
    {
        if (tls != null)
        {
            throw new dev.warren.api.WarrenException(dev.warren.api.ErrorCode.REQUEST_INVALID,
                "binding '" + bindingName() + "' cannot originate https");
        }
        return openHttp(destination);
    }
}
