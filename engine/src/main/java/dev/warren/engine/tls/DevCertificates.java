package dev.warren.engine.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Makes development certificates with the JDK alone (it has no public X.509 builder, so the DER is written here by
 * {@link DerWriter}): a self-signed CA, and server certificates it signs for given host names and IP addresses.
 * {@code warren certs} uses it, and tests use it to make wrong, expired and mismatched certificates in microseconds.
 * Keys are EC P-256 by default (RSA 2048 on request); signatures SHA-256.
 * <p>
 * <b>Threading.</b> Stateless; thread-safe.
 */
public final class DevCertificates
{
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DIGITAL_SIGNATURE = 0x80;
    private static final int KEY_ENCIPHERMENT = 0x20;
    private static final int KEY_CERT_SIGN = 0x04;
    private static final int CRL_SIGN = 0x02;

    /**
     * A certificate and its private key.
     *
     * @param certificate the certificate.
     * @param key         its private key.
     */
    public record Issued(X509Certificate certificate, PrivateKey key)
    {
    }

    private DevCertificates()
    {
    }

    /** @return a fresh EC P-256 key pair. */
    public static KeyPair ecKeys()
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK cannot make EC keys", ex);
        }
    }

    /** @return a fresh RSA 2048 key pair. */
    public static KeyPair rsaKeys()
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK cannot make RSA keys", ex);
        }
    }

    /**
     * A self-signed CA certificate.
     *
     * @param name      its common name.
     * @param keys      its key pair.
     * @param notBefore start of validity.
     * @param notAfter  end of validity.
     */
    public static Issued ca(final String name, final KeyPair keys, final Instant notBefore, final Instant notAfter)
    {
        final byte[] subject = name(name);
        final byte[] extensions = DerWriter.sequence(
            extension("2.5.29.19", true, DerWriter.sequence(DerWriter.bool(true))),
            extension("2.5.29.15", true, DerWriter.namedBits(KEY_CERT_SIGN | CRL_SIGN)),
            extension("2.5.29.14", false, DerWriter.octetString(keyId(keys.getPublic()))));
        final X509Certificate certificate = sign(subject, subject, keys.getPublic(), keys.getPrivate(), notBefore,
            notAfter, extensions);
        return new Issued(certificate, keys.getPrivate());
    }

    /**
     * A server certificate signed by {@code issuer}.
     *
     * @param issuer    the CA.
     * @param name      its common name.
     * @param hosts     subject alternative names: IP literals become IP addresses, anything else DNS names.
     * @param keys      the server's key pair.
     * @param notBefore start of validity.
     * @param notAfter  end of validity.
     */
    public static Issued server(
        final Issued issuer, final String name, final List<String> hosts, final KeyPair keys, final Instant notBefore,
        final Instant notAfter)
    {
        final List<byte[]> names = new ArrayList<>();
        for (final String host : hosts)
        {
            names.add(isIpLiteral(host) ? DerWriter.implicit(7, ipBytes(host)) :
                DerWriter.implicit(2, host.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        final int usage = "RSA".equals(keys.getPublic().getAlgorithm()) ?
            DIGITAL_SIGNATURE | KEY_ENCIPHERMENT : DIGITAL_SIGNATURE;
        final byte[] extensions = DerWriter.sequence(
            extension("2.5.29.19", true, DerWriter.sequence()),
            extension("2.5.29.15", true, DerWriter.namedBits(usage)),
            extension("2.5.29.37", false, DerWriter.sequence(DerWriter.oid("1.3.6.1.5.5.7.3.1"))),
            extension("2.5.29.17", false, DerWriter.sequence(names.toArray(new byte[0][]))),
            extension("2.5.29.14", false, DerWriter.octetString(keyId(keys.getPublic()))),
            extension("2.5.29.35", false, DerWriter.sequence(DerWriter.implicit(0,
                keyId(issuer.certificate().getPublicKey())))));
        final X509Certificate certificate = sign(name(name), issuer.certificate().getSubjectX500Principal().getEncoded(),
            keys.getPublic(), issuer.key(), notBefore, notAfter, extensions);
        return new Issued(certificate, keys.getPrivate());
    }

    /** @return the certificate in PEM. */
    public static String pem(final X509Certificate certificate)
    {
        try
        {
            return pem("CERTIFICATE", certificate.getEncoded());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** @return the key in PEM, unencrypted PKCS#8. */
    public static String pem(final PrivateKey key)
    {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" +
            Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static X509Certificate sign(
        final byte[] subject, final byte[] issuer, final PublicKey subjectKey, final PrivateKey issuerKey,
        final Instant notBefore, final Instant notAfter, final byte[] extensions)
    {
        final boolean ec = "EC".equals(issuerKey.getAlgorithm());
        final byte[] algorithm = ec ? DerWriter.sequence(DerWriter.oid("1.2.840.10045.4.3.2")) :
            DerWriter.sequence(DerWriter.oid("1.2.840.113549.1.1.11"), DerWriter.nullValue());
        final byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        final byte[] tbs = DerWriter.sequence(
            DerWriter.explicit(0, DerWriter.integer(BigInteger.TWO)),
            DerWriter.integer(new BigInteger(serial)),
            algorithm,
            issuer,
            DerWriter.sequence(DerWriter.time(notBefore), DerWriter.time(notAfter)),
            subject,
            subjectKey.getEncoded(),
            DerWriter.explicit(3, extensions));
        try
        {
            final Signature signer = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            final byte[] der = DerWriter.sequence(tbs, algorithm, DerWriter.bitString(signer.sign()));
            return (X509Certificate)CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot sign a certificate", ex);
        }
    }

    private static byte[] extension(final String oid, final boolean critical, final byte[] value)
    {
        return critical ?
            DerWriter.sequence(DerWriter.oid(oid), DerWriter.bool(true), DerWriter.octetString(value)) :
            DerWriter.sequence(DerWriter.oid(oid), DerWriter.octetString(value));
    }

    private static byte[] name(final String commonName)
    {
        return DerWriter.sequence(
            DerWriter.set(DerWriter.sequence(DerWriter.oid("2.5.4.10"), DerWriter.utf8("Warren development"))),
            DerWriter.set(DerWriter.sequence(DerWriter.oid("2.5.4.3"), DerWriter.utf8(commonName))));
    }

    /** A key identifier: the SHA-1 of the encoded public key (RFC 5280 §4.2.1.2 allows any unique method). */
    private static byte[] keyId(final PublicKey key)
    {
        try
        {
            return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** @return whether {@code host} is an IPv4 or IPv6 literal (brackets allowed). */
    public static boolean isIpLiteral(final String host)
    {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static byte[] ipBytes(final String host)
    {
        final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try
        {
            return InetAddress.getByName(bare).getAddress(); // a literal: no DNS query
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("not an IP address: '" + host + "'", ex);
        }
    }
}
