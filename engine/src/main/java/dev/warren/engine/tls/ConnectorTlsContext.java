package dev.warren.engine.tls;

import dev.warren.api.ConnectorTlsConfig;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The connector's side of a TLS tunnel: client-mode engines that verify the edge as {@link ConnectorTlsConfig} says
 * (CA bundle with the host name check, pinned certificate, or both), limited to TLS 1.3 (and 1.2 when configured).
 * The CA file is read once, at start, so a bad one stops the connector before it dials.
 * <p>
 * <b>Threading.</b> Immutable after construction; {@link #newEngine()} may be called from any thread.
 */
public final class ConnectorTlsContext
{
    private final SSLContext context;
    private final String[] protocols;
    private final String peerHost;
    private final int peerPort;
    private final boolean checkHostName;
    private final boolean sendSni;

    /**
     * @param config how to verify the edge.
     * @param edge   the edge address dialed; its host (as written, not resolved) is the name checked unless
     *               {@code config.serverName()} is given.
     * @throws IllegalArgumentException naming the CA file when it is bad.
     */
    public ConnectorTlsContext(final ConnectorTlsConfig config, final InetSocketAddress edge)
    {
        this.peerHost = config.serverName() != null ? config.serverName() : edge.getHostString();
        this.peerPort = edge.getPort();
        this.protocols = EdgeTlsContext.protocols(config.minVersion());
        this.checkHostName = config.caFile() != null;
        this.sendSni = !isIpLiteral(peerHost);
        X509ExtendedTrustManager anchors = null;
        if (config.caFile() != null)
        {
            final List<X509Certificate> cas = PemFiles.certificates(config.caFile());
            try
            {
                final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++)
                {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                final TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
                factory.init(store);
                for (final TrustManager manager : factory.getTrustManagers())
                {
                    if (manager instanceof X509ExtendedTrustManager)
                    {
                        anchors = (X509ExtendedTrustManager)manager;
                    }
                }
            }
            catch (final GeneralSecurityException | java.io.IOException ex)
            {
                throw new IllegalArgumentException(config.caFile() + ": cannot use these CA certificates: " +
                    ex.getMessage(), ex);
            }
        }
        final EdgeTrustManager trust = new EdgeTrustManager(anchors, String.valueOf(config.caFile()),
            config.pinBytes(), config.pin(), peerHost);
        try
        {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trust}, null);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK has no TLS", ex);
        }
    }

    /** @return a client-mode engine for one tunnel connection, verifying as configured. */
    public SSLEngine newEngine()
    {
        final SSLEngine engine = context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(true);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (checkHostName)
        {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (sendSni)
        {
            parameters.setServerNames(List.of(new SNIHostName(peerHost)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** @return the name the edge's certificate must carry (with a CA file). */
    public String peerHost()
    {
        return peerHost;
    }

    private static boolean isIpLiteral(final String host)
    {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }
}
