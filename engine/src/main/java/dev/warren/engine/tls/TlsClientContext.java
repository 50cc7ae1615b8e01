package dev.warren.engine.tls;

import dev.warren.api.CertVerification;
import dev.warren.engine.net.HostPort;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side of TLS to a private host, wherever it is originated: the trust anchors (the JDK's default trust
 * store, plus optional extra certificates, for private CAs) and one {@link SSLContext} per {@link CertVerification}
 * mode, so that no TLS session is ever resumed across modes. The connector uses one for {@code https} fetches
 * ({@code originCaFile}); the edge uses them for {@code connect()} with {@code secureTransport}
 * ({@link #shared(List)}, one per set of extra anchors).
 * <ul>
 *   <li>{@code verify_full}: the chain must lead to an anchor and the certificate must name the server name
 *       (endpoint identification {@code HTTPS} against the SNI name: DNS names, or IP addresses for a literal).</li>
 *   <li>{@code verify_ca}: the chain only.</li>
 *   <li>{@code disabled}: anything is accepted.</li>
 * </ul>
 * A refused certificate fails the handshake with a message that says which check failed ("chain not trusted (chain
 * check)" or "does not match server name ... (host name check)").
 * <p>
 * <b>Threading.</b> Thread-safe. The contexts are built on first use, once (tens of milliseconds).
 */
public final class TlsClientContext
{
    /** How many distinct sets of extra anchors {@link #shared} keeps contexts for; more are built per call. */
    static final int MAX_SHARED = Integer.getInteger("warren.tls.maxSharedContexts", 64);
    private static final TlsClientContext JDK_ANCHORS = new TlsClientContext(List.of());
    private static final Map<List<X509Certificate>, TlsClientContext> SHARED = new ConcurrentHashMap<>();

    private final List<X509Certificate> extraAnchors;
    private volatile SSLContext[] contexts;

    /**
     * @param extraAnchors certificates trusted in addition to the JDK's default anchors; may be empty.
     */
    public TlsClientContext(final List<X509Certificate> extraAnchors)
    {
        this.extraAnchors = List.copyOf(extraAnchors);
    }

    /**
     * A context for these extra anchors, shared by every caller that names the same certificates (so TLS sessions
     * are resumed across sockets), up to {@link #MAX_SHARED} distinct sets.
     *
     * @param extraAnchors certificates trusted in addition to the JDK's default anchors; may be empty.
     * @return the shared context.
     */
    public static TlsClientContext shared(final List<X509Certificate> extraAnchors)
    {
        if (extraAnchors.isEmpty())
        {
            return JDK_ANCHORS;
        }
        final TlsClientContext known = SHARED.get(extraAnchors);
        if (known != null)
        {
            return known;
        }
        if (SHARED.size() >= MAX_SHARED)
        {
            return new TlsClientContext(extraAnchors);
        }
        return SHARED.computeIfAbsent(List.copyOf(extraAnchors), TlsClientContext::new);
    }

    /** @return how many certificates are trusted beyond the JDK's anchors. */
    public int extraAnchorCount()
    {
        return extraAnchors.size();
    }

    /**
     * A client engine for one connection. Any thread.
     *
     * @param serverName the name presented as SNI (not for an IP literal, which is checked against IP SANs).
     * @param port       the port dialed (with the name, the key of TLS session resumption).
     * @throws GeneralSecurityException when the JDK's TLS cannot be set up.
     */
    public SSLEngine engine(final String serverName, final int port, final CertVerification verification)
        throws GeneralSecurityException
    {
        final SSLEngine engine = contexts()[verification.ordinal()].createSSLEngine(serverName, port);
        engine.setUseClientMode(true);
        final SSLParameters parameters = engine.getSSLParameters();
        if (verification == CertVerification.VERIFY_FULL)
        {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!HostPort.isIpv4Literal(serverName) && !HostPort.isIpv6Literal(serverName))
        {
            try
            {
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
            }
            catch (final IllegalArgumentException ex)
            {
                // not a name SNI can carry (RFC 6066); the certificate check still uses it
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private SSLContext[] contexts() throws GeneralSecurityException
    {
        SSLContext[] built = contexts;
        if (built == null)
        {
            synchronized (this)
            {
                built = contexts;
                if (built == null)
                {
                    final X509ExtendedTrustManager pkix = pkix();
                    built = new SSLContext[CertVerification.values().length];
                    built[CertVerification.VERIFY_FULL.ordinal()] = context(new Checking(pkix, true));
                    built[CertVerification.VERIFY_CA.ordinal()] = context(new Checking(pkix, false));
                    built[CertVerification.DISABLED.ordinal()] = context(new TrustingAll());
                    contexts = built;
                }
            }
        }
        return built;
    }

    private static SSLContext context(final TrustManager trust) throws GeneralSecurityException
    {
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    /** The JDK's PKIX trust manager over the default anchors, plus the CA bundle's when there is one. */
    private X509ExtendedTrustManager pkix() throws GeneralSecurityException
    {
        final TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore)null);
        if (extraAnchors.isEmpty())
        {
            return extended(defaults);
        }
        final KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try
        {
            anchors.load(null, null);
        }
        catch (final IOException ex)
        {
            throw new GeneralSecurityException(ex);
        }
        int i = 0;
        for (final TrustManager manager : defaults.getTrustManagers())
        {
            if (manager instanceof X509TrustManager x509)
            {
                for (final X509Certificate anchor : x509.getAcceptedIssuers())
                {
                    anchors.setCertificateEntry("jdk-" + i++, anchor);
                }
            }
        }
        for (final X509Certificate anchor : extraAnchors)
        {
            anchors.setCertificateEntry("origin-ca-" + i++, anchor);
        }
        final TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        combined.init(anchors);
        return extended(combined);
    }

    private static X509ExtendedTrustManager extended(final TrustManagerFactory factory)
        throws GeneralSecurityException
    {
        for (final TrustManager manager : factory.getTrustManagers())
        {
            if (manager instanceof X509ExtendedTrustManager extended)
            {
                return extended;
            }
        }
        throw new GeneralSecurityException("no X509ExtendedTrustManager from " + factory.getAlgorithm());
    }

    /**
     * {@code verify_full} or {@code verify_ca} with the JDK's PKIX checks, saying which check refused a certificate.
     * The host name check is the JDK's, driven by the engine's endpoint identification algorithm.
     */
    private static final class Checking extends ServerTrustManager
    {
        private final X509ExtendedTrustManager pkix;
        private final boolean full;

        Checking(final X509ExtendedTrustManager pkix, final boolean full)
        {
            this.pkix = pkix;
            this.full = full;
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            try
            {
                pkix.checkServerTrusted(chain, authType, engine);
            }
            catch (final CertificateException ex)
            {
                throw explained(chain, authType, engine.getPeerHost(), ex);
            }
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            pkix.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            throws CertificateException
        {
            pkix.checkServerTrusted(chain, authType);
        }

        private CertificateException explained(
            final X509Certificate[] chain, final String authType, final String serverName, final CertificateException ex)
        {
            boolean chainTrusted = false;
            if (full)
            {
                try
                {
                    pkix.checkServerTrusted(chain, authType); // the chain alone, without the name
                    chainTrusted = true;
                }
                catch (final CertificateException ignore)
                {
                    // the chain itself is refused
                }
            }
            final String subject = chain.length == 0 ? "no certificate" :
                "certificate '" + chain[0].getSubjectX500Principal().getName() + "'";
            final String what = chainTrusted ?
                "verify_full: " + subject + " does not match server name '" + serverName + "' (host name check)" :
                (full ? "verify_full" : "verify_ca") + ": " + subject + " chain not trusted (chain check)";
            return new CertificateException(what + ": " + ex.getMessage(), ex);
        }




        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return pkix.getAcceptedIssuers();
        }
    }

    /** {@code disabled}: every certificate passes. */
    private static final class TrustingAll extends ServerTrustManager
    {
        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        {
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        {
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
        {
        }




        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
