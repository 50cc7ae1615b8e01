package dev.warren.cli;

import dev.warren.api.TlsConfig;
import dev.warren.engine.tls.EdgeTlsContext;
import dev.warren.engine.tls.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code warren certs}: the three PEM files load as an edge's TLS material, the edge certificate chains to the CA and
 * names the hosts asked for, the key is private to its owner, the printed pin is the certificate's, and nothing is
 * overwritten without {@code --force}.
 */
class CertsCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMakeACaAndAnEdgeCertificateAndPrintThePin() throws Exception
    {
        final Path out = dir.resolve("pki");
        final String printed = run("certs", "--out", out.toString(), "--host", "127.0.0.1", "--host", "edge.internal",
            "--days", "30");

        final List<X509Certificate> ca = PemFiles.certificates(out.resolve("ca.crt"));
        final List<X509Certificate> chain = PemFiles.certificates(out.resolve("edge.crt"));
        assertEquals(1, ca.size());
        assertEquals(2, chain.size(), "the edge's certificate, then the CA's");
        final EdgeTlsContext edge = new EdgeTlsContext(new TlsConfig(out.resolve("edge.crt"), out.resolve("edge.key")));
        assertTrue(printed.contains("pin: " + edge.pin() + System.lineSeparator()), printed);
        assertTrue(printed.contains("tls: { caFile: " + out.resolve("ca.crt") + " }"), printed);

        final PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.get(0), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(chain.get(0))), parameters);
        assertEquals("[[7, 127.0.0.1], [2, edge.internal]]", String.valueOf(chain.get(0).getSubjectAlternativeNames()));
        assertTrue(chain.get(0).getNotAfter().getTime() - System.currentTimeMillis() < 31L * 86_400_000L);
        assertEquals(-1, chain.get(0).getBasicConstraints(), "not a CA");
        assertTrue(ca.get(0).getBasicConstraints() >= 0, "a CA");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("edge.key"))));

        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(WarrenMain.EXIT_FAILED, WarrenMain.run(new String[]{"certs", "--out", out.toString()},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("exists; pass --force to replace it"), err::toString);
        final String again = run("certs", "--out", out.toString(), "--force", "--rsa");
        assertTrue(again.contains("PKCS#8 RSA"), again);
        assertEquals("RSA", PemFiles.privateKey(out.resolve("edge.key")).getAlgorithm());
    }

    @Test
    void shouldRefuseBadOptionsWithTheUsageStatus()
    {
        for (final String[] args : new String[][]{{"certs"}, {"certs", "--out"}, {"certs", "--out", "x", "--days", "0"},
            {"certs", "--out", "x", "--host", "a b"}, {"certs", "--out", "x", "--bogus"}})
        {
            assertEquals(WarrenMain.EXIT_USAGE, WarrenMain.run(args,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)), String.join(" ", args));
        }
        final ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertEquals(WarrenMain.EXIT_OK, WarrenMain.run(new String[]{"certs", "--help"},
            new PrintStream(help, true, StandardCharsets.UTF_8), System.err));
        assertTrue(help.toString(StandardCharsets.UTF_8).startsWith("usage: warren certs --out DIR"));
    }

    private static String run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = WarrenMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(WarrenMain.EXIT_OK, status, err::toString);
        return out.toString(StandardCharsets.UTF_8);
    }
}
