package dev.warren.api;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How a connector verifies the edge of a TLS tunnel (connector YAML {@code tls: {caFile, serverName, pin,
 * minVersion}}). At least one of {@code caFile} and {@code pin} is required; with both, both checks must pass.
 * Immutable.
 * <ul>
 * <li>{@code caFile}: a PEM bundle of CA certificates. The edge's chain must lead to one of them, and its certificate
 * must name the host the connector dials ({@code serverName} when given, else the host of the edge address: a DNS
 * name is checked against the DNS names of the certificate, an IP literal against its IP addresses).</li>
 * <li>{@code pin}: the SHA-256 of the edge's certificate (its DER bytes), written {@code sha256:} and 64 hex digits,
 * optionally in colon-separated pairs, in either case: {@code sha256:AB:CD:…} as {@code openssl x509 -noout
 * -fingerprint -sha256} and {@code warren certs} print it. Only that certificate is accepted, whoever signed it;
 * neither its chain nor its names nor its dates are checked (rotating the edge's certificate means changing the
 * pin).</li>
 * </ul>
 *
 * @param caFile     trust anchors, PEM; null when only the pin decides.
 * @param serverName the name sent as SNI and checked against the certificate instead of the edge address's host;
 *                   null for that host.
 * @param pin        {@code sha256:} and the certificate's hash, normalised to upper-case colon-separated pairs; null
 *                   for none.
 * @param minVersion the lowest TLS version offered: {@link TlsConfig#TLS_1_3} (default) or {@link TlsConfig#TLS_1_2}.
 */
public record ConnectorTlsConfig(Path caFile, String serverName, String pin, String minVersion)
{
    /** The prefix of a pin. */
    public static final String PIN_PREFIX = "sha256:";

    /**
     * Checks and creates the value; the pin is normalised.
     *
     * @throws IllegalArgumentException when neither {@code caFile} nor {@code pin} is given, or one is malformed.
     */
    public ConnectorTlsConfig
    {
        if (caFile == null && pin == null)
        {
            throw new IllegalArgumentException("tls needs caFile (a CA bundle that signed the edge's certificate) " +
                "or pin (sha256:... of the edge's certificate)");
        }
        if (serverName != null && (serverName.isEmpty() || serverName.length() > 255))
        {
            throw new IllegalArgumentException("serverName must be 1..255 characters: '" + serverName + "'");
        }
        pin = pin == null ? null : normalisePin(pin);
        minVersion = TlsConfig.checkVersion(minVersion == null ? TlsConfig.TLS_1_3 : minVersion);
    }

    /**
     * Verifies against a CA bundle, the edge address's host being the name checked.
     *
     * @param caFile the PEM bundle.
     * @return the value.
     */
    public static ConnectorTlsConfig caFile(final Path caFile)
    {
        return new ConnectorTlsConfig(Objects.requireNonNull(caFile, "caFile"), null, null, null);
    }

    /**
     * Accepts exactly the certificate with this SHA-256.
     *
     * @param pin {@code sha256:} and 64 hex digits, colons optional.
     * @return the value.
     */
    public static ConnectorTlsConfig pin(final String pin)
    {
        return new ConnectorTlsConfig(null, null, Objects.requireNonNull(pin, "pin"), null);
    }

    /**
     * The 32 bytes a pin names.
     *
     * @return the SHA-256, or null when there is no pin.
     */
    public byte[] pinBytes()
    {
        if (pin == null)
        {
            return null;
        }
        final String hex = pin.substring(PIN_PREFIX.length()).replace(":", "");
        final byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /**
     * Writes a SHA-256 as a pin.
     *
     * @param sha256 32 bytes.
     * @return {@code sha256:AB:CD:…}, upper-case pairs.
     */
    public static String formatPin(final byte[] sha256)
    {
        final StringBuilder out = new StringBuilder(PIN_PREFIX);
        for (int i = 0; i < sha256.length; i++)
        {
            if (i > 0)
            {
                out.append(':');
            }
            out.append(String.format(Locale.ROOT, "%02X", sha256[i] & 0xFF));
        }
        return out.toString();
    }

    private static String normalisePin(final String pin)
    {
        final String trimmed = pin.trim();
        if (!trimmed.regionMatches(true, 0, PIN_PREFIX, 0, PIN_PREFIX.length()))
        {
            throw new IllegalArgumentException("pin must start with 'sha256:' followed by 64 hex digits " +
                "(colons between pairs allowed): '" + pin + "'");
        }
        final String body = trimmed.substring(PIN_PREFIX.length());
        final String hex = body.replace(":", "");
        final boolean pairs = body.matches("([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}");
        if (!hex.matches("[0-9A-Fa-f]{64}") || (body.contains(":") && !pairs))
        {
            throw new IllegalArgumentException("pin must be 'sha256:' followed by 64 hex digits (32 bytes, colons " +
                "between pairs allowed): '" + pin + "'");
        }
        final byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return formatPin(bytes);
    }
}
