package dev.warren.engine.config;

import dev.warren.api.ConnectorConfig;
import dev.warren.api.ConnectorTlsConfig;
import dev.warren.engine.connector.AllowList;
import dev.warren.engine.tls.PemFiles;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a connector file (SPEC §6, exactly its keys) into a {@link ConnectorConfig}:
 * <pre>
 * connector: { edge, tunnel, token, haConnections, allow: [destination, ...], metricsListen,
 *              keepAliveConnections, keepAliveTimeout, originCaFile,
 *              tls: {caFile, serverName, pin, minVersion}, insecure }
 * </pre>
 * {@code tls} verifies the edge of a TLS tunnel (see {@link ConnectorTlsConfig}): {@code caFile} (relative to the
 * file's folder, parsed here) with the host name check against the edge address's host or {@code serverName}, and/or
 * {@code pin: "sha256:AB:CD:..."}. Without {@code tls} the connector refuses to start unless {@code insecure: true},
 * which dials a plaintext edge; {@code insecure} with {@code tls} is refused too.
 * {@code keepAliveConnections} (default 100) and {@code keepAliveTimeout} (default {@code 90s}) size the pool of
 * keep-alive connections to private HTTP hosts, as cloudflared's keys of the same names.
 * {@code originCaFile} names a PEM bundle of CA certificates that {@code https} to private hosts trusts besides the
 * JDK's default trust store (for hosts whose certificates a private CA issued); relative to the file's folder, it
 * must exist here, and its certificates are read when the connector starts.
 * {@code haConnections} defaults to {@link ConnectorConfig#DEFAULT_HA_CONNECTIONS}; {@code allow} to nothing
 * (every destination refused). Each allow entry is checked here, so a bad one is reported at its own line.
 * <p>
 * <b>Threading.</b> Stateless; runs on the loading thread.
 */
final class ConnectorConfigReader
{
    static final List<String> TOP_KEYS = List.of("connector");
    static final List<String> CONNECTOR_KEYS = List.of("edge", "tunnel", "token", "haConnections", "allow",
        "metricsListen", "keepAliveConnections", "keepAliveTimeout", "originCaFile", "tls", "insecure");
    static final List<String> TLS_KEYS = List.of("caFile", "serverName", "pin", "minVersion");

    private ConnectorConfigReader()
    {
    }

    static ConnectorConfig read(final ConfigDocument document, final YamlNode root) throws ConfigException
    {
        final MappingReader top = MappingReader.root(document, root, "connector", "edge", "edge");
        top.allowOnly(TOP_KEYS);
        final MappingReader connector = top.mapping("connector", true);
        connector.allowOnly(CONNECTOR_KEYS);

        final InetSocketAddress edge = connector.address("edge", false);
        final String tunnel = connector.text("tunnel", true, false);
        final String token = connector.text("token", true, true);
        final int haConnections = connector.integer("haConnections", ConnectorConfig.DEFAULT_HA_CONNECTIONS);
        final InetSocketAddress metricsListen =
            connector.has("metricsListen") ? connector.address("metricsListen", true) : null;
        final int keepAliveConnections =
            connector.integer("keepAliveConnections", ConnectorConfig.DEFAULT_KEEP_ALIVE_CONNECTIONS);
        final java.time.Duration keepAliveTimeout =
            connector.duration("keepAliveTimeout", ConnectorConfig.DEFAULT_KEEP_ALIVE_TIMEOUT);
        final java.nio.file.Path originCaFile =
            connector.has("originCaFile") ? EdgeConfigReader.file(document, connector, "originCaFile") : null;
        final List<String> allow = new ArrayList<>();
        for (final MappingReader.Item item : connector.texts("allow"))
        {
            try
            {
                AllowList.parse(List.of(item.value()));
            }
            catch (final IllegalArgumentException ex)
            {
                throw document.error(item.line(), item.path(), ex.getMessage());
            }
            allow.add(item.value());
        }
        final ConnectorTlsConfig tls = tls(document, connector.mapping("tls", false));
        final boolean insecure = connector.bool("insecure", false);
        // Built as if insecure when neither is given, so that a mistake elsewhere in the file is reported first.
        final ConnectorConfig config = connector.build(
            () -> ConnectorConfig.builder()
                .edge(edge)
                .tunnel(tunnel, token)
                .haConnections(haConnections)
                .allow(allow.toArray(new String[0]))
                .metricsListen(metricsListen)
                .keepAlive(keepAliveConnections, keepAliveTimeout)
                .originCaFile(originCaFile)
                .tls(tls)
                .insecure(insecure || tls == null)
                .build(),
            "insecure", "haConnections", "token", "tunnel", "allow", "edge", "metricsListen",
            "keepAliveConnections", "keepAliveTimeout", "originCaFile");
        if (tls == null && !insecure)
        {
            throw connector.error("the connector must verify the edge: add tls: { caFile: ca.crt } or tls: { pin: " +
                "\"sha256:...\" } (warren certs makes both), or insecure: true to dial a plaintext edge (development " +
                "only)");
        }
        return config;
    }

    private static ConnectorTlsConfig tls(final ConfigDocument document, final MappingReader tls)
        throws ConfigException
    {
        if (tls == null)
        {
            return null;
        }
        tls.allowOnly(TLS_KEYS);
        final java.nio.file.Path caFile = tls.has("caFile") ? EdgeConfigReader.file(document, tls, "caFile") : null;
        if (caFile != null)
        {
            EdgeConfigReader.pem(tls, "caFile", () -> PemFiles.certificates(caFile));
        }
        final String serverName = tls.has("serverName") ? tls.text("serverName", true, false) : null;
        final String pin = tls.has("pin") ? tls.text("pin", true, false) : null;
        final String minVersion = tls.has("minVersion") ? tls.text("minVersion", true, false) : null;
        return tls.build(() -> new ConnectorTlsConfig(caFile, serverName, pin, minVersion), "pin", "serverName",
            "minVersion", "caFile");
    }
}
