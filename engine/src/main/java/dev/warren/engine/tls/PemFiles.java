package dev.warren.engine.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files with the JDK alone: certificate chains and bundles ({@code BEGIN CERTIFICATE} blocks) and
 * unencrypted PKCS#8 private keys ({@code BEGIN PRIVATE KEY}, RSA or EC). Every failure is an
 * {@link IllegalArgumentException} whose message starts with the file's name and says what to do, e.g. how to
 * convert a PKCS#1 {@code RSA PRIVATE KEY}.
 * <p>
 * <b>Threading.</b> Stateless; runs at start-up, never on an event loop's hot path.
 */
public final class PemFiles
{
    /** PEM files larger than this are refused before being read whole. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final Pattern BLOCK =
        Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemFiles()
    {
    }

    /**
     * @param file a PEM file with one or more certificates (a leaf first, then its issuers; or a CA bundle).
     * @return the certificates in file order; never empty.
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no valid certificate.
     */
    public static List<X509Certificate> certificates(final Path file)
    {
        final List<X509Certificate> certificates = new ArrayList<>();
        final CertificateFactory factory;
        try
        {
            factory = CertificateFactory.getInstance("X.509");
        }
        catch (final CertificateException ex)
        {
            throw new IllegalStateException("the JDK has no X.509 support", ex);
        }
        int index = 0;
        for (final Block block : blocks(file))
        {
            if (!"CERTIFICATE".equals(block.type))
            {
                continue;
            }
            index++;
            try
            {
                certificates.add((X509Certificate)factory.generateCertificate(new ByteArrayInputStream(block.der)));
            }
            catch (final CertificateException ex)
            {
                throw new IllegalArgumentException(file + ": certificate " + index + " is not a valid X.509 " +
                    "certificate: " + ex.getMessage(), ex);
            }
        }
        if (certificates.isEmpty())
        {
            throw new IllegalArgumentException(file + ": no '-----BEGIN CERTIFICATE-----' block: expected PEM " +
                "certificates");
        }
        return certificates;
    }

    /**
     * @param file a PEM file with one unencrypted PKCS#8 private key.
     * @return the key, RSA or EC.
     * @throws IllegalArgumentException naming the file when it holds no such key (a PKCS#1 or SEC1 key, an encrypted
     *                                  key, garbage), with the {@code openssl} command that converts it.
     */
    public static PrivateKey privateKey(final Path file)
    {
        for (final Block block : blocks(file))
        {
            switch (block.type)
            {
                case "PRIVATE KEY":
                    return pkcs8(file, block.der);
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    throw new IllegalArgumentException(file + ": a '" + block.type + "' (PKCS#1/SEC1) key; Warren " +
                        "reads PKCS#8 ('BEGIN PRIVATE KEY'): convert it with 'openssl pkcs8 -topk8 -nocrypt -in " +
                        file.getFileName() + " -out key.pk8.pem'");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(file + ": the private key is encrypted; Warren reads " +
                        "unencrypted PKCS#8 keys (protect the file's permissions instead): 'openssl pkcs8 -topk8 " +
                        "-nocrypt -in " + file.getFileName() + " -out key.pk8.pem'");
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(file + ": no '-----BEGIN PRIVATE KEY-----' block: expected an " +
            "unencrypted PKCS#8 private key in PEM");
    }

    /**
     * Checks that {@code key} is the private half of {@code certificate}'s public key, by signing and verifying.
     *
     * @throws IllegalArgumentException naming both files when they do not match.
     */
    public static void checkKeyMatches(
        final PrivateKey key, final X509Certificate certificate, final Path keyFile, final Path certFile)
    {
        final String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        final byte[] probe = "warren key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try
        {
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            matches = false;
        }
        if (!matches)
        {
            throw new IllegalArgumentException(keyFile + ": this key does not match the certificate in " + certFile +
                " (" + certificate.getSubjectX500Principal() + ")");
        }
    }

    private static PrivateKey pkcs8(final Path file, final byte[] der)
    {
        final PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (final String algorithm : new String[]{"RSA", "EC"})
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            }
            catch (final GeneralSecurityException ignore)
            {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(file + ": the PKCS#8 private key is neither RSA nor EC (or is corrupt)");
    }

    private static List<Block> blocks(final Path file)
    {
        final String text;
        try
        {
            if (Files.size(file) > MAX_FILE_BYTES)
            {
                throw new IllegalArgumentException(file + ": larger than " + MAX_FILE_BYTES + " bytes; not a PEM file");
            }
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(file + ": cannot read: " + ex, ex);
        }
        final List<Block> blocks = new ArrayList<>();
        final Matcher matcher = BLOCK.matcher(text);
        while (matcher.find())
        {
            final byte[] der;
            try
            {
                der = Base64.getMimeDecoder().decode(matcher.group(2));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(file + ": bad base64 in a '" + matcher.group(1) + "' block: " +
                    ex.getMessage(), ex);
            }
            blocks.add(new Block(matcher.group(1), der));
        }
        if (blocks.isEmpty())
        {
            throw new IllegalArgumentException(file + ": not a PEM file (no '-----BEGIN ...-----' / '-----END " +
                "...-----' block)");
        }
        return blocks;
    }

    private static final class Block
    {
        final String type;
        final byte[] der;

        Block(final String type, final byte[] der)
        {
            this.type = type;
            this.der = der;
        }
    }
}
