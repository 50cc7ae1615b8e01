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
}
