package dev.warren.cli;

import dev.warren.engine.tls.DevCertificates;
import dev.warren.engine.tls.EdgeTlsContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code warren certs --out DIR [--host H]... [--days N] [--rsa] [--force]}: a development CA and an edge certificate
 * it signed, as PEM files {@code ca.crt}, {@code edge.crt} and {@code edge.key} (mode 600), for a TLS tunnel. Prints
 * the YAML lines for both sides and the connector pin of the edge's certificate. Written with the JDK alone
 * ({@link DevCertificates}), so it needs no {@code openssl}. The CA's private key is not kept: this CA can vouch
 * for this one edge certificate and nothing else; run the command again to rotate.
 * <p>
 * <b>Threading.</b> Runs on the calling thread.
 */
final class CertsCommand
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: warren certs --out DIR [--host HOST]... [--days N] [--rsa] [--force]",
        "",
        "Makes a development CA and an edge certificate signed by it, for a TLS tunnel:",
        "  DIR/ca.crt    the CA certificate: a connector's tls: { caFile: ca.crt }",
        "  DIR/edge.crt  the edge's certificate, naming every --host: the edge's tls: { cert: edge.crt }",
        "  DIR/edge.key  its private key (PKCS#8, file mode 600): the edge's tls: { key: edge.key }",
        "and prints the certificate's pin, for a connector's tls: { pin: \"sha256:...\" } instead of caFile.",
        "The CA's own key is discarded: it signs this one certificate only. Uses the JDK, not openssl.",
        "",
        "options:",
        "  --out DIR      where to write the files (created if missing)",
        "  --host HOST    a name or IP address the edge is dialed at (repeatable; default 127.0.0.1, ::1 and",
        "                 localhost); a connector checks the address it dials, or its serverName, against these",
        "  --days N       validity in days (default 365)",
        "  --rsa          RSA 2048 keys instead of EC P-256",
        "  --force        overwrite existing files",
        "  -h, --help     print this help");

    private static final List<String> DEFAULT_HOSTS = List.of("127.0.0.1", "::1", "localhost");

    private final Path out;
    private final List<String> hosts;
    private final int days;
    private final boolean rsa;
    private final boolean force;

    private CertsCommand(
        final Path out, final List<String> hosts, final int days, final boolean rsa, final boolean force)
    {
        this.out = out;
        this.hosts = hosts;
        this.days = days;
        this.rsa = rsa;
        this.force = force;
    }

    /** @return the command, or null when {@code --help} was asked for. */
    static CertsCommand parse(final String[] args, final int from) throws UsageException
    {
        Path out = null;
        final List<String> hosts = new ArrayList<>();
        int days = 365;
        boolean rsa = false;
        boolean force = false;
        for (int i = from; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "-h":
                case "--help":
                    return null;
                case "--rsa":
                    rsa = true;
                    break;
                case "--force":
                    force = true;
                    break;
                case "--out":
                case "--host":
                case "--days":
                {
                    if (i + 1 >= args.length || args[i + 1].isEmpty())
                    {
                        throw new UsageException("certs: option '" + arg + "' needs a value");
                    }
                    final String value = args[++i];
                    if ("--out".equals(arg))
                    {
                        out = Path.of(value);
                    }
                    else if ("--host".equals(arg))
                    {
                        if (!value.matches("[A-Za-z0-9.:\\-\\[\\]*]{1,253}"))
                        {
                            throw new UsageException("certs: --host '" + value + "' is not a host name or IP address");
                        }
                        hosts.add(value.startsWith("[") && value.endsWith("]") ?
                            value.substring(1, value.length() - 1) : value);
                    }
                    else
                    {
                        try
                        {
                            days = Integer.parseInt(value);
                        }
                        catch (final NumberFormatException ex)
                        {
                            days = -1;
                        }
                        if (days < 1 || days > 3650)
                        {
                            throw new UsageException("certs: --days must be 1..3650: '" + value + "'");
                        }
                    }
                    break;
                }
                default:
                    throw new UsageException(arg.startsWith("-") ? "certs: unknown option '" + arg + "'" :
                        "certs: unexpected argument '" + arg + "'");
            }
        }
        if (out == null)
        {
            throw new UsageException("certs: --out DIR is required");
        }
        return new CertsCommand(out, hosts.isEmpty() ? DEFAULT_HOSTS : List.copyOf(hosts), days, rsa, force);
    }

    int run(final PrintStream stdout) throws IOException
    {
        final Instant now = Instant.now();
        final Instant notBefore = now.minus(Duration.ofMinutes(5)); // some slack for clocks a little behind
        final DevCertificates.Issued ca = DevCertificates.ca("Warren development CA " + now.getEpochSecond(),
            rsa ? DevCertificates.rsaKeys() : DevCertificates.ecKeys(), notBefore, now.plus(Duration.ofDays(days)));
        final DevCertificates.Issued edge = DevCertificates.server(ca, hosts.get(0), hosts,
            rsa ? DevCertificates.rsaKeys() : DevCertificates.ecKeys(), notBefore, now.plus(Duration.ofDays(days)));
        Files.createDirectories(out);
        final Path caFile = out.resolve("ca.crt");
        final Path certFile = out.resolve("edge.crt");
        final Path keyFile = out.resolve("edge.key");
        if (!force)
        {
            for (final Path file : List.of(caFile, certFile, keyFile))
            {
                if (Files.exists(file))
                {
                    throw new FileAlreadyExistsException(file + " exists; pass --force to replace it");
                }
            }
        }
        write(caFile, DevCertificates.pem(ca.certificate()), false);
        write(certFile, DevCertificates.pem(edge.certificate()) + DevCertificates.pem(ca.certificate()), false);
        write(keyFile, DevCertificates.pem(edge.key()), true);
        final String pin = EdgeTlsContext.pinOf(edge.certificate());
        stdout.println("wrote " + caFile + "   (development CA, until " + edge.certificate().getNotAfter().toInstant() +
            ")");
        stdout.println("wrote " + certFile + " (for " + String.join(", ", hosts) + "; chain: edge, CA)");
        stdout.println("wrote " + keyFile + " (private key, PKCS#8" + (rsa ? " RSA" : " EC P-256") + ")");
        stdout.println("edge.yaml:       tls: { cert: " + certFile + ", key: " + keyFile + " }");
        stdout.println("connector.yaml:  tls: { caFile: " + caFile + " }");
        stdout.println("      or:        tls: { pin: \"" + pin + "\" }");
        stdout.println("pin: " + pin);
        return WarrenMain.EXIT_OK;
    }

    private static void write(final Path file, final String text, final boolean secret) throws IOException
    {
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix"))
        {
            Files.createFile(temporary,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(temporary, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
