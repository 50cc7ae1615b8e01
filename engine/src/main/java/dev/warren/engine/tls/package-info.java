/**
 * TLS on the event loops: {@link dev.warren.engine.tls.TlsChannel} drives a JDK {@code SSLEngine} over a
 * non-blocking socket without blocking and without threads of its own. The connector uses it to originate
 * {@code https} to private hosts, and both ends use it for the tunnel: {@link dev.warren.engine.tls.EdgeTlsContext}
 * (the edge's PEM certificate and key), {@link dev.warren.engine.tls.ConnectorTlsContext} with
 * {@link dev.warren.engine.tls.EdgeTrustManager} (how a connector verifies the edge: CA, host name, pin), and
 * {@link dev.warren.engine.tls.DevCertificates} (development certificates, DER written with the JDK alone).
 */
package dev.warren.engine.tls;
