package dev.warren.engine.support;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and server certificates made at test time with the JDK's {@code keytool} (no private key is checked
 * in): {@link #ca()} is a self-signed CA (EC P-256); {@link #server} issues a key and a certificate signed by it with
 * the given subject alternative names, in a PKCS#12 key store ready for a server's {@link SSLContext}.
 * <p>
 * Thread-safe for distinct aliases; each call runs keytool processes (about half a second each).
 */
public final class TestPki
{
    public static final char[] PASSWORD = "changeit".toCharArray();

    private final Path dir;
    private final Path caStore;
    private final Path caPem;

    private TestPki(final Path dir)
    {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        this.caPem = dir.resolve("ca.pem");
    }

    /** Makes a CA named {@code cn} in a fresh temporary directory. */
    public static TestPki create(final String cn) throws IOException
    {
        final TestPki pki = new TestPki(Files.createTempDirectory("warren-pki"));
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
            "-ext", "bc:c", "-validity", "3", "-keystore", pki.caStore.toString(), "-storetype", "PKCS12",
            "-storepass", new String(PASSWORD));
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.caStore.toString(), "-storepass",
            new String(PASSWORD), "-file", pki.caPem.toString());
        return pki;
    }

    /** The CA's certificate, PEM: what a connector's {@code originCaFile} names. */
    public Path caPem()
    {
        return caPem;
    }

    /**
     * Issues a server key and certificate.
     *
     * @param alias a file name stem, distinct per certificate.
     * @param san   the subject alternative names, keytool syntax: {@code dns:a.example,ip:127.0.0.1}.
     * @return the PKCS#12 key store holding the key under alias {@code server} with its chain.
     */
    public Path server(final String alias, final String san) throws IOException
    {
        final Path store = dir.resolve(alias + ".p12");
        final Path csr = dir.resolve(alias + ".csr");
        final Path pem = dir.resolve(alias + ".pem");
        final String storepass = new String(PASSWORD);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
            "CN=" + alias, "-validity", "3", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
            storepass);
        keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-storepass", storepass, "-file",
            csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", storepass, "-infile",
            csr.toString(), "-outfile", pem.toString(), "-rfc", "-validity", "3", "-ext", "SAN=" + san, "-ext",
            "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth");
        keytool("-importcert", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString(), "-storepass",
            storepass, "-noprompt");
        keytool("-importcert", "-alias", "server", "-file", pem.toString(), "-keystore", store.toString(),
            "-storepass", storepass, "-noprompt");
        return store;
    }

    /** Issues several server certificates at once (keytool runs in parallel). */
    public List<Path> servers(final String[] aliases, final String[] sans) throws Exception
    {
        final List<CompletableFuture<Path>> made = new ArrayList<>();
        for (int i = 0; i < aliases.length; i++)
        {
            final String alias = aliases[i];
            final String san = sans[i];
            made.add(CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return server(alias, san);
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            }));
        }
        final List<Path> stores = new ArrayList<>();
        for (final CompletableFuture<Path> future : made)
        {
            stores.add(future.get(60, TimeUnit.SECONDS));
        }
        return stores;
    }

    /** A server-side context over a key store made by {@link #server}. */
    public static SSLContext serverContext(final Path store) throws Exception
    {
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store))
        {
            keys.load(in, PASSWORD);
        }
        final KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private void keytool(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try
        {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }
}
