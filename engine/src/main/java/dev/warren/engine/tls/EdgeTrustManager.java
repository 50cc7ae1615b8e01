package dev.warren.engine.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;

/**
 * How a connector judges the edge's certificate: against CA anchors (the JDK's PKIX check, with the host name check
 * when the engine asks for it), against a pinned SHA-256, or both. A refusal says which check failed and what was
 * expected, since that message is what the operator reads in the connector's log.
 * <p>
 * <b>Threading.</b> Immutable; called on the event loop during handshakes.
 */
final class EdgeTrustManager extends ServerTrustManager
{
    private final X509ExtendedTrustManager anchors;
    private final String caFile;
    private final byte[] pin;
    private final String pinText;
    private final String expectedName;

    /**
     * @param anchors      the PKIX trust manager over the CA file, or null when only the pin decides.
     * @param caFile       the CA file's name, for messages.
     * @param pin          the SHA-256 the edge's certificate must have, or null.
     * @param pinText      the pin as configured, for messages.
     * @param expectedName the name the certificate must carry, for messages.
     */
    EdgeTrustManager(
        final X509ExtendedTrustManager anchors, final String caFile, final byte[] pin, final String pinText,
        final String expectedName)
    {
        this.anchors = anchors;
        this.caFile = caFile;
        this.pin = pin;
        this.pinText = pinText;
        this.expectedName = expectedName;
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        if (chain == null || chain.length == 0)
        {
            throw new CertificateException("the edge sent no certificate");
        }
        if (pin != null)
        {
            checkPin(chain[0]);
        }
        if (anchors != null)
        {
            try
            {
                anchors.checkServerTrusted(chain, authType, engine);
            }
            catch (final CertificateException ex)
            {
                throw explain(chain[0], ex);
            }
        }
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        checkServerTrusted(chain, authType, (SSLEngine)null);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        checkServerTrusted(chain, authType, (SSLEngine)null);
    }




    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return anchors == null ? new X509Certificate[0] : anchors.getAcceptedIssuers();
    }

    private void checkPin(final X509Certificate leaf) throws CertificateException
    {
        final byte[] actual;
        try
        {
            actual = MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new CertificateException("cannot hash the edge's certificate", ex);
        }
        if (!MessageDigest.isEqual(actual, pin))
        {
            throw new CertificateException("the edge's certificate (" + leaf.getSubjectX500Principal() + ") is " +
                dev.warren.api.ConnectorTlsConfig.formatPin(actual) + ", not the pinned " + pinText + " (pin check)");
        }
    }

    private CertificateException explain(final X509Certificate leaf, final CertificateException ex)
    {
        final String subject = "the edge's certificate (" + leaf.getSubjectX500Principal() + ")";
        final String detail = ex.getMessage();
        final String problem;
        if (hasCause(ex, CertificateExpiredException.class) || hasCause(ex, CertificateNotYetValidException.class))
        {
            problem = subject + " is outside its validity period (" + leaf.getNotBefore() + " .. " +
                leaf.getNotAfter() + ") (date check): " + detail;
        }
        else if (detail != null && (detail.contains("subject alternative") || detail.contains("No name matching") ||
            detail.contains("No subject alternative")))
        {
            problem = subject + " does not name " + expectedName + " (host name check; set serverName when the " +
                "edge's certificate names another host than the address dialed): " + detail;
        }
        else
        {
            problem = subject + " is not trusted: no chain to a CA of " + caFile + " (chain check): " + detail;
        }
        return new CertificateException(problem, ex);
    }

    private static boolean hasCause(final Throwable ex, final Class<? extends Throwable> type)
    {
        for (Throwable cause = ex; cause != null; cause = cause.getCause())
        {
            if (type.isInstance(cause))
            {
                return true;
            }
        }
        return false;
    }
}
