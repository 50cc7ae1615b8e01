package dev.warren.engine.connector;

import dev.warren.api.CertVerification;
import dev.warren.engine.tls.TlsClientContext;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.System.Logger.Level.WARNING;

/**
 * How the connector originates TLS to private hosts ({@code https} fetches): a {@link TlsClientContext} over the
 * JDK's default trust store plus the certificates of the optional {@code originCaFile} PEM bundle (private CAs),
 * with one {@code SSLContext} per verification mode, so that no TLS session is ever resumed across modes.
 * <ul>
 *   <li>{@code verify_full}: the chain must lead to an anchor and the certificate must name the server name
 *       (endpoint identification {@code HTTPS} against the SNI name: DNS names, or IP addresses for a literal).</li>
 *   <li>{@code verify_ca}: the chain only.</li>
 *   <li>{@code disabled}: anything is accepted; a warning is logged once per destination.</li>
 * </ul>
 * A refused certificate fails the handshake with a message that says which check failed ("certificate chain not
 * trusted" or "certificate does not match server name").
 * <p>
 * <b>Threading.</b> Thread-safe. The CA bundle is read when the connector starts (a bad file fails the start); the
 * contexts are built on first use, once, on whichever loop needs one first (tens of milliseconds, once).
 */
final class OriginTlsContext
{
    private static final System.Logger LOG = System.getLogger("dev.warren.connector");
    private static final int MAX_WARNED = 10_000;

    private final TlsClientContext client;
    private final Set<String> warnedDisabled = ConcurrentHashMap.newKeySet();

    /**
     * @param caFile a PEM bundle of extra trust anchors, or null.
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate.
     */
    OriginTlsContext(final Path caFile)
    {
        this.client = new TlsClientContext(caFile == null ? List.of() : readBundle(caFile));
        if (caFile != null)
        {
            LOG.log(System.Logger.Level.INFO, () -> "https to private hosts trusts the JDK's anchors and " +
                client.extraAnchorCount() + " from " + caFile);
        }
    }

    private static List<X509Certificate> readBundle(final Path caFile)
    {
        final List<X509Certificate> anchors = new ArrayList<>();
        try (InputStream in = Files.newInputStream(caFile))
        {
            for (final Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in))
            {
                anchors.add((X509Certificate)certificate);
            }
        }
        catch (final IOException | CertificateException ex)
        {
            throw new IllegalArgumentException("originCaFile " + caFile + ": cannot read PEM certificates: " +
                ex.getMessage(), ex);
        }
        if (anchors.isEmpty())
        {
            throw new IllegalArgumentException("originCaFile " + caFile + ": no certificate in it");
        }
        return List.copyOf(anchors);
    }

    /**
     * Loop thread: a client engine for one connection.
     *
     * @param serverName the name presented as SNI (not for an IP literal, which is checked against IP SANs).
     * @param port       the port dialed (with the name, the key of TLS session resumption).
     * @throws GeneralSecurityException when the JDK's TLS cannot be set up.
     */
    SSLEngine engine(final String serverName, final int port, final CertVerification verification)
        throws GeneralSecurityException
    {
        return client.engine(serverName, port, verification);
    }

    /** Logs, once per destination, that a connection to it trusts any certificate. */
    void warnDisabled(final String destination, final String serverName)
    {
        final String key = destination + " " + serverName;
        if (warnedDisabled.size() < MAX_WARNED && warnedDisabled.add(key))
        {
            LOG.log(WARNING, () -> "https to " + destination + " (server name " + serverName + ") with " +
                "certVerification disabled: any certificate is accepted");
        }
    }
}
