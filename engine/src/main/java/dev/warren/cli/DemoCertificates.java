package dev.warren.cli;

import dev.warren.api.TlsConfig;
import dev.warren.engine.tls.DevCertificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The demo's TLS material: a CA made for the run and an edge certificate for {@code 127.0.0.1} it signed, written as
 * PEM into a temporary folder ({@link TlsConfig} reads files, as an operator's edge does), deleted afterwards.
 * <p>
 * <b>Threading.</b> Stateless.
 */
final class DemoCertificates
{
    private DemoCertificates()
    {
    }

    /** Makes the CA and the edge's certificate in {@code folder}; returns the edge's side. */
    static TlsConfig edge(final Path folder) throws IOException
    {
        final Instant now = Instant.now();
        final DevCertificates.Issued ca = DevCertificates.ca("Warren demo CA", DevCertificates.ecKeys(),
            now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
        final DevCertificates.Issued edge = DevCertificates.server(ca, "127.0.0.1", List.of("127.0.0.1"),
            DevCertificates.ecKeys(), now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
        Files.writeString(ca(folder), DevCertificates.pem(ca.certificate()), StandardCharsets.US_ASCII);
        Files.writeString(folder.resolve("edge.crt"), DevCertificates.pem(edge.certificate()),
            StandardCharsets.US_ASCII);
        Files.writeString(folder.resolve("edge.key"), DevCertificates.pem(edge.key()), StandardCharsets.US_ASCII);
        return new TlsConfig(folder.resolve("edge.crt"), folder.resolve("edge.key"));
    }

    /** The CA certificate {@link #edge} wrote. */
    static Path ca(final Path folder)
    {
        return folder.resolve("ca.crt");
    }

    /** Deletes what {@link #edge} wrote, and the folder; best effort. */
    static void delete(final Path folder)
    {
        for (final String name : new String[]{"ca.crt", "edge.crt", "edge.key"})
        {
            try
            {
                Files.deleteIfExists(folder.resolve(name));
            }
            catch (final IOException ignore)
            {
                // a temporary folder: the system cleans it eventually
            }
        }
        try
        {
            Files.deleteIfExists(folder);
        }
        catch (final IOException ignore)
        {
            // as above
        }
    }
}
