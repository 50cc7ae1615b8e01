package dev.warren.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of one {@code connect()} call (SPEC §4). Immutable; build with {@link #builder()}.
 * <p>
 * <b>TLS.</b> With {@link SecureTransport#ON} or {@link SecureTransport#STARTTLS} the edge runs TLS with the private
 * host itself, end to end through the tunnel: the connector only relays ciphertext and never holds a key or a
 * certificate. The private host's certificate is checked as a service's {@code certVerification} is
 * ({@link CertVerification}): {@code VERIFY_FULL} (the default: chain and name), {@code VERIFY_CA} (chain only) or
 * {@code DISABLED}. The name checked, and sent as SNI, is {@link #expectedServerHostname()}, by default the host part
 * of the address given to {@code connect()} (an IP literal is checked against the certificate's IP addresses and
 * sent without SNI). The chain must lead to one of the JDK's default trust anchors or to one of
 * {@link #trustedCertificates()} (a private CA: {@link Builder#trustedCaFile(Path)} reads a PEM bundle). A failed
 * handshake or a refused certificate is {@link ErrorCode#TLS_ERROR}. With {@link SecureTransport#OFF} the TLS
 * options are ignored.
 *
 * @param secureTransport        TLS to the private host; default {@link SecureTransport#OFF}.
 * @param allowHalfOpen          when false (the default), the private host finishing its side also closes ours.
 * @param connectTimeout         how long the connector may take to reach the private host; null means the
 *                               connector's own default. With TLS it also bounds the handshake (else 30 s,
 *                               property {@code warren.socket.tlsHandshakeTimeoutMs}).
 * @param expectedServerHostname the name the private host's certificate must carry (and the SNI); null means the
 *                               host part of the address.
 * @param certVerification       how the private host's certificate is checked; default
 *                               {@link CertVerification#VERIFY_FULL}.
 * @param trustedCertificates    trust anchors in addition to the JDK's defaults (private CAs); default none.
 */
public record ConnectOptions(
    SecureTransport secureTransport, boolean allowHalfOpen, Duration connectTimeout, String expectedServerHostname,
    CertVerification certVerification, List<X509Certificate> trustedCertificates)
{
    /** The defaults: plain TCP, no half-open, the connector's own connect timeout. */
    public static final ConnectOptions DEFAULTS = new ConnectOptions(SecureTransport.OFF, false, null);

    /**
     * Checks and creates the options.
     *
     * @param secureTransport        TLS to the private host; not null.
     * @param allowHalfOpen          whether our side stays open after the private host finished its side.
     * @param connectTimeout         how long the connector may take to reach the private host; null for its default.
     * @param expectedServerHostname the name to verify and send as SNI; null for the host part of the address.
     * @param certVerification       how the certificate is checked; not null.
     * @param trustedCertificates    extra trust anchors; not null, may be empty.
     * @throws NullPointerException     when {@code secureTransport}, {@code certVerification} or
     *                                  {@code trustedCertificates} (or one of its elements) is null.
     * @throws IllegalArgumentException when {@code connectTimeout} is zero or negative, or
     *                                  {@code expectedServerHostname} is blank.
     */
    public ConnectOptions
    {
        Objects.requireNonNull(secureTransport, "secureTransport");
        Objects.requireNonNull(certVerification, "certVerification");
        trustedCertificates = List.copyOf(Objects.requireNonNull(trustedCertificates, "trustedCertificates"));
        if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero()))
        {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        if (expectedServerHostname != null && expectedServerHostname.isBlank())
        {
            throw new IllegalArgumentException("expectedServerHostname must not be blank");
        }
    }

    /**
     * Options without TLS settings: {@link CertVerification#VERIFY_FULL}, the name from the address, the JDK's
     * anchors.
     *
     * @param secureTransport TLS to the private host; not null.
     * @param allowHalfOpen   whether our side stays open after the private host finished its side.
     * @param connectTimeout  how long the connector may take to reach the private host; null for its default.
     */
    public ConnectOptions(final SecureTransport secureTransport, final boolean allowHalfOpen, final Duration connectTimeout)
    {
        this(secureTransport, allowHalfOpen, connectTimeout, null, CertVerification.VERIFY_FULL, List.of());
    }

    /**
     * Starts building options from the defaults ({@link #DEFAULTS}).
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Builds {@link ConnectOptions}. Not thread-safe. */
    public static final class Builder
    {
        private SecureTransport secureTransport = SecureTransport.OFF;
        private boolean allowHalfOpen;
        private Duration connectTimeout;
        private String expectedServerHostname;
        private CertVerification certVerification = CertVerification.VERIFY_FULL;
        private List<X509Certificate> trustedCertificates = List.of();

        /**
         * Sets TLS to the private host.
         *
         * @param secureTransport {@link SecureTransport#OFF} (the default), {@link SecureTransport#ON} (TLS from
         *                        the start: {@code opened()} waits for the handshake) or
         *                        {@link SecureTransport#STARTTLS} (plain until {@link TcpSocket#startTls()}).
         * @return this builder.
         */
        public Builder secureTransport(final SecureTransport secureTransport)
        {
            this.secureTransport = secureTransport;
            return this;
        }

        /**
         * Sets whether our side stays open after the private host finished its side.
         *
         * @param allowHalfOpen true to keep it open; default false.
         * @return this builder.
         */
        public Builder allowHalfOpen(final boolean allowHalfOpen)
        {
            this.allowHalfOpen = allowHalfOpen;
            return this;
        }

        /**
         * Sets how long the connector may take to reach the private host (and, with TLS, how long the handshake may
         * take).
         *
         * @param connectTimeout a positive duration, or null for the connector's default.
         * @return this builder.
         */
        public Builder connectTimeout(final Duration connectTimeout)
        {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the name the private host's certificate must carry under {@link CertVerification#VERIFY_FULL}, also
         * sent as SNI (unless it is an IP address).
         *
         * @param expectedServerHostname a host name or IP address; null (the default) for the host part of the
         *                               address given to {@code connect()}.
         * @return this builder.
         */
        public Builder expectedServerHostname(final String expectedServerHostname)
        {
            this.expectedServerHostname = expectedServerHostname;
            return this;
        }

        /**
         * Sets how the private host's certificate is checked.
         *
         * @param certVerification default {@link CertVerification#VERIFY_FULL}.
         * @return this builder.
         */
        public Builder certVerification(final CertVerification certVerification)
        {
            this.certVerification = certVerification;
            return this;
        }

        /**
         * Trusts these certificates (private CAs) in addition to the JDK's default anchors. Sockets that name the
         * same certificates share TLS contexts, so sessions are resumed across them.
         *
         * @param trustedCertificates the anchors; replaces any set before.
         * @return this builder.
         */
        public Builder trustedCertificates(final List<X509Certificate> trustedCertificates)
        {
            this.trustedCertificates = List.copyOf(trustedCertificates);
            return this;
        }

        /**
         * Reads a PEM bundle of certificates (private CAs) now and trusts them in addition to the JDK's default
         * anchors, as {@link #trustedCertificates(List)} does.
         *
         * @param caFile a file of one or more PEM certificates.
         * @return this builder.
         * @throws IllegalArgumentException when the file cannot be read or holds no certificate.
         */
        public Builder trustedCaFile(final Path caFile)
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
                throw new IllegalArgumentException("trustedCaFile " + caFile + ": cannot read PEM certificates: " +
                    ex.getMessage(), ex);
            }
            if (anchors.isEmpty())
            {
                throw new IllegalArgumentException("trustedCaFile " + caFile + ": no certificate in it");
            }
            this.trustedCertificates = List.copyOf(anchors);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options.
         * @throws NullPointerException     when the secure transport or the verification was set to null.
         * @throws IllegalArgumentException when the connect timeout is zero or negative or the expected server
         *                                  host name is blank.
         */
        public ConnectOptions build()
        {
            return new ConnectOptions(secureTransport, allowHalfOpen, connectTimeout, expectedServerHostname,
                certVerification, trustedCertificates);
        }
    }
}
