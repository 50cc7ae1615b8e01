package dev.warren.engine.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A trust manager of a TLS client: it judges servers only. Every client check fails, since no peer of ours presents
 * a client certificate (no mutual TLS). The base of the three ways Warren trusts a server: the edge by CA or pin,
 * a private host by the verification mode, or every certificate ({@code disabled}).
 */
abstract class ServerTrustManager extends X509ExtendedTrustManager
{
    private static CertificateException noClients()
    {
        return new CertificateException("no client is authenticated here");
    }

    @Override
    public final void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        throw noClients();
    }

    @Override
    public final void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        throw noClients();
    }

    @Override
    public final void checkClientTrusted(final X509Certificate[] chain, final String authType)
        throws CertificateException
    {
        throw noClients();
    }
}
