/**
 * TLS on the event loops: {@link dev.warren.engine.tls.TlsChannel} drives a JDK {@code SSLEngine} over a
 * non-blocking socket without blocking and without threads of its own. The connector uses it to originate
 * {@code https} to private hosts; TLS on the tunnel and {@code connect()}'s {@code secureTransport} can reuse it.
 */
package dev.warren.engine.tls;
