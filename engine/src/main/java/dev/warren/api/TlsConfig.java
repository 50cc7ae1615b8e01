package dev.warren.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The edge's certificate for a TLS tunnel (SPEC §6 {@code tls: {cert, key}}): PEM files. Not yet supported: an
 * edge configured with it refuses to start, saying so. Immutable.
 *
 * @param cert the certificate chain, PEM.
 * @param key  the private key, PEM.
 */
public record TlsConfig(Path cert, Path key)
{
    /**
     * Creates the value.
     *
     * @param cert the certificate chain, PEM.
     * @param key  the private key, PEM.
     * @throws NullPointerException when an argument is null.
     */
    public TlsConfig
    {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }
}
