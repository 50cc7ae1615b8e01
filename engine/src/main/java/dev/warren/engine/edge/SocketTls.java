package dev.warren.engine.edge;

import dev.warren.api.CertVerification;
import dev.warren.api.ConnectOptions;
import dev.warren.api.SecureTransport;
import dev.warren.engine.net.HostPort;
import dev.warren.engine.tls.TlsClientContext;

import javax.net.ssl.SSLEngine;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The TLS a {@code connect()} socket runs with its private host ({@code secureTransport} {@code ON} or
 * {@code STARTTLS}): the trust (a shared {@link TlsClientContext} per set of extra anchors), the server name to
 * verify and send as SNI, the verification mode and how long the handshake may take. Immutable; thread-safe.
 *
 * @param mode         {@link SecureTransport#ON} or {@link SecureTransport#STARTTLS}.
 * @param context      the trust anchors and contexts.
 * @param serverName   the name checked under {@code verify_full} and sent as SNI (not when it is an IP literal).
 * @param port         the private host's port (with the name, the key of session resumption).
 * @param verification how the certificate is checked.
 * @param timeoutNs    how long the handshake may take once begun.
 */
record SocketTls(
    SecureTransport mode, TlsClientContext context, String serverName, int port, CertVerification verification,
    long timeoutNs)
{
    /** How long a {@code connect()} TLS handshake may take unless the call's connect timeout says otherwise. */
    static final long HANDSHAKE_TIMEOUT_NS =
        TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.socket.tlsHandshakeTimeoutMs", 30_000));

    /** @return the TLS for these options, or null for {@link SecureTransport#OFF}. */
    static SocketTls of(final ConnectOptions options, final HostPort destination)
    {
        if (options.secureTransport() == SecureTransport.OFF)
        {
            return null;
        }
        final String name = options.expectedServerHostname() != null ? options.expectedServerHostname() :
            destination.host();
        final long timeoutNs = options.connectTimeout() != null ? options.connectTimeout().toNanos() :
            HANDSHAKE_TIMEOUT_NS;
        return new SocketTls(options.secureTransport(), TlsClientContext.shared(options.trustedCertificates()), name,
            destination.port(), options.certVerification(), timeoutNs);
    }

    /** A client engine for one socket. Any thread; the caller's, so that the loop never builds a context. */
    SSLEngine newEngine() throws GeneralSecurityException
    {
        return context.engine(serverName, port, verification);
    }

    /** For messages: {@code tls on, server name x, verify_full}. */
    String describe()
    {
        return "tls " + mode.name().toLowerCase(Locale.ROOT) + ", server name " + serverName + ", " +
            verification.name().toLowerCase(Locale.ROOT);
    }
}
