package dev.warren.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The edge's certificate for a TLS tunnel (SPEC §6 {@code tls: {cert, key}}): PEM files, read when the edge starts.
 * The tunnel then speaks TLS 1.3 only, unless {@code minVersion} is {@link #TLS_1_2}. Immutable.
 *
 * @param cert       the certificate chain, PEM: the edge's certificate first, then any intermediates.
 * @param key        the private key, PEM, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}); RSA or EC.
 * @param minVersion the lowest TLS version accepted: {@link #TLS_1_3} (the default) or {@link #TLS_1_2}.
 */
public record TlsConfig(Path cert, Path key, String minVersion)
{
    /** TLS 1.3, the default and only version unless TLS 1.2 is asked for. */
    public static final String TLS_1_3 = "TLSv1.3";
    /** TLS 1.2: accepted only when configured explicitly, for peers that cannot do 1.3. */
    public static final String TLS_1_2 = "TLSv1.2";

    /**
     * TLS 1.3 only.
     *
     * @param cert the certificate chain, PEM.
     * @param key  the private key, PEM.
     */
    public TlsConfig(final Path cert, final Path key)
    {
        this(cert, key, TLS_1_3);
    }

    /**
     * Creates the value.
     *
     * @param cert       the certificate chain, PEM.
     * @param key        the private key, PEM.
     * @param minVersion {@link #TLS_1_3} or {@link #TLS_1_2}.
     * @throws NullPointerException     when an argument is null.
     * @throws IllegalArgumentException when {@code minVersion} is neither.
     */
    public TlsConfig
    {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        checkVersion(minVersion);
    }

    /**
     * @param minVersion the value to check.
     * @return the value.
     * @throws IllegalArgumentException when it is neither {@link #TLS_1_3} nor {@link #TLS_1_2}.
     */
    static String checkVersion(final String minVersion)
    {
        Objects.requireNonNull(minVersion, "minVersion");
        if (!TLS_1_3.equals(minVersion) && !TLS_1_2.equals(minVersion))
        {
            throw new IllegalArgumentException("minVersion must be " + TLS_1_3 + " or " + TLS_1_2 + ": '" +
                minVersion + "'");
        }
        return minVersion;
    }
}
