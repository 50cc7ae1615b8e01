/**
 * TLS on the event loops, without blocking and without threads of its own: {@link dev.warren.engine.tls.TlsChannel}
 * drives a JDK {@code SSLEngine} over a non-blocking socket (the connector's {@code https} to private hosts, and the
 * tunnel at both ends); {@link dev.warren.engine.tls.TlsStreamCodec} drives one over a tunnel stream's bytes (the
 * edge's {@code connect()} with {@code secureTransport}); {@link dev.warren.engine.tls.TlsClientContext} holds the
 * trust anchors and one {@code SSLContext} per verification mode for both. For the tunnel:
 * {@link dev.warren.engine.tls.EdgeTlsContext} (the edge's PEM certificate and key),
 * {@link dev.warren.engine.tls.ConnectorTlsContext} with {@link dev.warren.engine.tls.EdgeTrustManager} (how a
 * connector verifies the edge: CA, host name, pin), and {@link dev.warren.engine.tls.DevCertificates} (development
 * certificates, DER written with the JDK alone).
 */
package dev.warren.engine.tls;
