/**
 * TLS on the event loops, without blocking and without threads of its own: {@link dev.warren.engine.tls.TlsChannel}
 * drives a JDK {@code SSLEngine} over a non-blocking socket (the connector's {@code https} to private hosts);
 * {@link dev.warren.engine.tls.TlsStreamCodec} drives one over a tunnel stream's bytes (the edge's {@code connect()}
 * with {@code secureTransport}); {@link dev.warren.engine.tls.TlsClientContext} holds the trust anchors and one
 * {@code SSLContext} per verification mode for both.
 */
package dev.warren.engine.tls;
