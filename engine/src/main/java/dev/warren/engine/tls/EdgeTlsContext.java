package dev.warren.engine.tls;

import dev.warren.api.ConnectorTlsConfig;
import dev.warren.api.TlsConfig;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The edge's side of a TLS tunnel: its certificate chain and key read from PEM ({@link TlsConfig}), an
 * {@link SSLContext} over them, and server-mode engines limited to TLS 1.3 (and 1.2 when configured). Built once at
 * start, so a bad file stops the edge before it listens.
 * <p>
 * <b>Threading.</b> Immutable after construction; {@link #newEngine()} may be called from any thread.
 */
public final class EdgeTlsContext
{
    private final SSLContext context;
    private final String[] protocols;
    private final X509Certificate certificate;
    private final String pin;

    /**
     * @param config the PEM files and the lowest version.
     * @throws IllegalArgumentException naming the file when a PEM is bad or the key does not match the certificate.
     */
    public EdgeTlsContext(final TlsConfig config)
    {
        final List<X509Certificate> chain = PemFiles.certificates(config.cert());
        final PrivateKey key = PemFiles.privateKey(config.key());
        this.certificate = chain.get(0);
        PemFiles.checkKeyMatches(key, certificate, config.key(), config.cert());
        this.protocols = protocols(config.minVersion());
        this.pin = pinOf(certificate);
        try
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            final char[] password = new char[0];
            store.setKeyEntry("edge", key, password, chain.toArray(new X509Certificate[0]));
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
        }
        catch (final GeneralSecurityException | java.io.IOException ex)
        {
            throw new IllegalArgumentException(config.cert() + ", " + config.key() + ": cannot use this certificate " +
                "and key for TLS: " + ex.getMessage(), ex);
        }
    }

    /** @return a server-mode engine for one accepted tunnel connection. */
    public SSLEngine newEngine()
    {
        final SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** @return the edge's certificate (the first of the chain). */
    public X509Certificate certificate()
    {
        return certificate;
    }

    /** @return the connector pin of the edge's certificate, {@code sha256:AB:CD:…}. */
    public String pin()
    {
        return pin;
    }

    /** @return the protocols offered, most preferred first. */
    public String[] protocols()
    {
        return protocols.clone();
    }

    /**
     * @param minVersion {@link TlsConfig#TLS_1_3} or {@link TlsConfig#TLS_1_2}.
     * @return the JDK protocol names to enable.
     */
    static String[] protocols(final String minVersion)
    {
        return TlsConfig.TLS_1_2.equals(minVersion) ?
            new String[]{TlsConfig.TLS_1_3, TlsConfig.TLS_1_2} : new String[]{TlsConfig.TLS_1_3};
    }

    /**
     * @param certificate a certificate.
     * @return its connector pin: the SHA-256 of its DER encoding, {@code sha256:AB:CD:…}.
     */
    public static String pinOf(final X509Certificate certificate)
    {
        try
        {
            return ConnectorTlsConfig.formatPin(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot hash the certificate", ex);
        }
    }
}
