package dev.warren.engine.config;

import dev.warren.api.CertVerification;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.api.ServiceType;
import dev.warren.api.TlsConfig;
import dev.warren.api.ConnectorTlsConfig;
import dev.warren.engine.tls.DevCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ConfigLoader}: the SPEC §6 examples load into the expected records, and every class of mistake stops the
 * load with one message naming the file, the key path and the line, and never the token.
 */
class ConfigLoaderTest
{
    private static final String TOKEN = "s3cret-t0ken-0123456789";
    private static final Map<String, String> ENVIRONMENT = Map.of("OFFICE_TOKEN", TOKEN, "HA", "2");

    /** A valid edge file, each error test changes one thing in it (line numbers in the comments). */
    private static final String EDGE = """
        edge:
          tunnelListen: 127.0.0.1:7844
          tunnels:
            - id: office
              token: ${OFFICE_TOKEN}
          services:
            - name: users-api
              tunnel: office
              host: 127.0.0.2
              httpPort: 8080
          networks:
            - name: office-net
              tunnel: office
          listeners:
            - listen: 127.0.0.1:16379
              connect: office-net
              target: 127.0.0.3:6379
        """;

    @TempDir
    Path dir;

    /** No DNS in tests: only "localhost" resolves. */
    private final ConfigLoader loader = new ConfigLoader(ENVIRONMENT::get, host ->
    {
        if ("localhost".equals(host))
        {
            return InetAddress.getLoopbackAddress();
        }
        throw new UnknownHostException(host);
    });

    @Test
    void shouldLoadTheSpecEdgeExample() throws Exception
    {
        final Path file = fixture("edge.yaml");
        writePki(dir.resolve("edge.crt"), dir.resolve("edge.key"), dir.resolve("ca.crt"));

        final EdgeConfig config = loader.loadEdge(file);

        final EdgeConfig expected = EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 7844))
            .tls(new TlsConfig(dir.resolve("edge.crt").toAbsolutePath(), dir.resolve("edge.key").toAbsolutePath()))
            .tunnel("office", TOKEN)
            .service(ServiceConfig.http("users-api", "office", "127.0.0.2", 8080, 8443, CertVerification.VERIFY_FULL))
            .network("office-net", "office")
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 8080), "users-api"))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 3128), "office-net"))
            .listener(ListenerConfig.connect(new InetSocketAddress("127.0.0.1", 16379), "office-net", "127.0.0.3:6379"))
            .build();
        assertEquals(expected, config);
        assertEquals(TOKEN, config.tunnels().get(0).token());
    }

    @Test
    void shouldLoadTheSpecConnectorExample() throws Exception
    {
        writePki(dir.resolve("edge.crt"), dir.resolve("edge.key"), dir.resolve("ca.crt"));
        final ConnectorConfig config = loader.loadConnector(fixture("connector.yaml"));

        final ConnectorConfig expected = ConnectorConfig.builder()
            .edge(new InetSocketAddress("127.0.0.1", 7844))
            .tunnel("office", TOKEN)
            .haConnections(4)
            .allow("127.0.0.0/8", "db.internal:5432")
            .tls(ConnectorTlsConfig.caFile(dir.resolve("ca.crt").toAbsolutePath()))
            .build();
        assertEquals(expected, config);
        assertEquals(TOKEN, config.token());
    }

    @Test
    void shouldApplyTheDefaultsOfSpecSix() throws Exception
    {
        final EdgeConfig edge = loader.loadEdge(write("edge.yaml", """
            edge:
              tunnelListen: 127.0.0.1:0
              tunnels:
                - id: office
                  token: ${OFFICE_TOKEN}
              services:
                - name: both-schemes
                  tunnel: office
                  host: app.internal
                - name: https-only
                  tunnel: office
                  host: 10.0.0.1
                  httpsPort: 8443
                  certVerification: verify_ca
                - name: redis
                  tunnel: office
                  type: tcp
                  host: "::1"
                  tcpPort: 6379
            """));

        assertEquals(0, edge.tunnelListen().getPort());
        assertNull(edge.tls());
        assertEquals(List.of(
            ServiceConfig.http("both-schemes", "office", "app.internal", 80, 443, CertVerification.VERIFY_FULL),
            ServiceConfig.http("https-only", "office", "10.0.0.1", 0, 8443, CertVerification.VERIFY_CA),
            ServiceConfig.tcp("redis", "office", "::1", 6379)), edge.services());
        assertEquals(List.of(), edge.networks());
        assertEquals(List.of(), edge.listeners());

        final ConnectorConfig named = loader.loadConnector(write("connector.yaml", """
            connector:
              insecure: true
              edge: localhost:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
            """));
        assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7844), named.edge());

        final ConnectorConfig connector = loader.loadConnector(write("connector.yaml", """
            connector:
              insecure: true
              edge: "[::1]:7844"
              tunnel: office
              token: "${OFFICE_TOKEN}"
            """));
        assertEquals(new InetSocketAddress("::1", 7844), connector.edge());
        assertEquals(ConnectorConfig.DEFAULT_HA_CONNECTIONS, connector.haConnections());
        assertEquals(List.of(), connector.allow());
        assertEquals(TOKEN, connector.token());
        assertEquals(ConnectorConfig.DEFAULT_KEEP_ALIVE_CONNECTIONS, connector.keepAliveConnections());
        assertEquals(ConnectorConfig.DEFAULT_KEEP_ALIVE_TIMEOUT, connector.keepAliveTimeout());
        assertNull(connector.originCaFile());
    }

    @Test
    void shouldReadTheOriginCaFileRelativeToTheFileAndRefuseAMissingOne() throws Exception
    {
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/private-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        final ConnectorConfig withCa = loader.loadConnector(write("connector.yaml", """
            connector:
              insecure: true
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              originCaFile: certs/private-ca.pem
            """));
        assertEquals(dir.resolve("certs/private-ca.pem").toAbsolutePath(), withCa.originCaFile());
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              originCaFile: certs/missing.pem
            """), "connector.yaml", 5, "connector.originCaFile", "no such file: ");
    }

    @Test
    void shouldReadTheKeepAlivePoolAndRefuseBadValuesWithTheirLines() throws Exception
    {
        final ConnectorConfig pooled = loader.loadConnector(write("connector.yaml", """
            connector:
              insecure: true
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              keepAliveConnections: 8
              keepAliveTimeout: 1500ms
            """));
        assertEquals(8, pooled.keepAliveConnections());
        assertEquals(java.time.Duration.ofMillis(1500), pooled.keepAliveTimeout());
        for (final String bad : new String[] {"90", "-1s", "1.5s", "90 seconds", "s", "9999999999s"})
        {
            assertError(connectorError("""
                connector:
                  edge: 127.0.0.1:7844
                  tunnel: office
                  token: ${OFFICE_TOKEN}
                  keepAliveTimeout: BAD
                """.replace("BAD", bad)), "connector.yaml", 5, "connector.keepAliveTimeout",
                "'" + bad + "' is not a duration; write a whole number and ms, s, m or h, e.g. 90s");
        }
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              keepAliveTimeout: 0s
            """), "connector.yaml", 5, "connector.keepAliveTimeout", "keepAliveTimeout must be positive: PT0S");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              keepAliveConnections: 10001
            """), "connector.yaml", 5, "connector.keepAliveConnections",
            "keepAliveConnections must be 0..10000: 10001");
    }

    @Test
    void shouldResolveVariablesWithinTextAndReadFlowStyleAndQuotes() throws Exception
    {
        final ConnectorConfig config = loader.loadConnector(write("connector.yaml", """
            # ${UNSET_IN_A_COMMENT} is ignored
            connector: {edge: '127.0.0.1:7844', tunnel: "off\\x69ce", token: pre-${OFFICE_TOKEN}-post, insecure: true}
            """));

        assertEquals("office", config.tunnel());
        assertEquals("pre-" + TOKEN + "-post", config.token());

        final ConnectorConfig withList = loader.loadConnector(write("connector.yaml", """
            connector:
              insecure: true
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              haConnections: ${HA}
              allow: [10.0.0.0/8, "db.internal:5432"]
            """));
        assertEquals(2, withList.haConnections());
        assertEquals(List.of("10.0.0.0/8", "db.internal:5432"), withList.allow());
    }

    @Test
    void shouldResolveTlsPathsAgainstTheFilesFolder() throws Exception
    {
        final Path sub = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("certs"));
        writePki(dir.resolve("certs/edge.crt"), sub.resolve("edge.key"), dir.resolve("certs/ca.crt"));
        Files.writeString(sub.resolve("edge.yaml"), EDGE.replace("  tunnels:", "  tls:\n    cert: ../certs/edge.crt\n" +
            "    key: edge.key\n  tunnels:"));

        final EdgeConfig config = loader.loadEdge(sub.resolve("edge.yaml"));

        assertEquals(dir.resolve("certs/edge.crt").toAbsolutePath(), config.tls().cert());
        assertEquals(sub.resolve("edge.key").toAbsolutePath(), config.tls().key());
    }

    @Test
    void shouldReadTheConnectorsTlsAndRefuseAnUnverifiedEdgeWithTheLine() throws Exception
    {
        writePki(dir.resolve("edge.crt"), dir.resolve("edge.key"), dir.resolve("ca.crt"));
        final String pin = "sha256:" + "ab:".repeat(31) + "ab";
        final ConnectorConfig both = loader.loadConnector(write("connector.yaml", """
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              tls:
                caFile: ca.crt
                serverName: edge.example.com
                pin: PIN
                minVersion: TLSv1.2
            """.replace("PIN", pin)));
        assertEquals(new ConnectorTlsConfig(dir.resolve("ca.crt").toAbsolutePath(), "edge.example.com",
            pin.toUpperCase(java.util.Locale.ROOT).replace("SHA256", "sha256"), TlsConfig.TLS_1_2), both.tls());
        assertFalse(both.insecure());
        final ConnectorConfig pinned = loader.loadConnector(write("connector.yaml", """
            connector: {edge: 127.0.0.1:7844, tunnel: office, token: "${OFFICE_TOKEN}",
                        tls: {pin: "sha256:ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB"}}
            """));
        assertEquals(pin.toUpperCase(java.util.Locale.ROOT).replace("SHA256", "sha256"), pinned.tls().pin());
        assertEquals(TlsConfig.TLS_1_3, pinned.tls().minVersion());

        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
            """), "connector.yaml", 1, "connector", "the connector must verify the edge: add tls:");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              insecure: false
            """), "connector.yaml", 1, "connector", "the connector must verify the edge");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              tls: {caFile: ca.crt}
              insecure: true
            """), "connector.yaml", 6, "connector.insecure", "insecure cannot go with tls");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              insecure: yes please
            """), "connector.yaml", 5, "connector.insecure", "'yes please' is not true or false");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              tls:
                serverName: edge.example.com
            """), "connector.yaml", 5, "connector.tls", "tls needs caFile");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              tls:
                pin: sha256:AB:CD
            """), "connector.yaml", 6, "connector.tls.pin", "pin must be 'sha256:' followed by 64 hex digits");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              tls:
                caFlie: ca.crt
            """), "connector.yaml", 6, "connector.tls.caFlie", "unknown key (did you mean 'caFile'?)");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              tls:
                caFile: edge.key
            """), "connector.yaml", 6, "connector.tls.caFile", dir.resolve("edge.key").toAbsolutePath() +
            ": no '-----BEGIN CERTIFICATE-----' block");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              tls:
                caFile: ca.crt
                minVersion: TLSv1.1
            """), "connector.yaml", 7, "connector.tls.minVersion", "minVersion must be TLSv1.3 or TLSv1.2");
    }

    @Test
    void shouldParseTheEdgesPemFilesAndNameTheBadOne() throws Exception
    {
        writePki(dir.resolve("edge.crt"), dir.resolve("edge.key"), dir.resolve("ca.crt"));
        final EdgeConfig rsa = loader.loadEdge(write("edge.yaml", EDGE.replace("  tunnels:",
            "  tls: {cert: edge.crt, key: edge.key, minVersion: TLSv1.2}\n  tunnels:")));
        assertEquals(TlsConfig.TLS_1_2, rsa.tls().minVersion());

        final Path abs = dir.toAbsolutePath();
        assertError(edgeError(EDGE.replace("  tunnels:", "  tls: {cert: ca.crt, key: edge.key}\n  tunnels:")),
            "edge.yaml", 3, "edge.tls.key", abs.resolve("edge.key") + ": this key does not match the certificate in " +
            abs.resolve("ca.crt"));
        assertError(edgeError(EDGE.replace("  tunnels:", "  tls: {cert: edge.key, key: edge.key}\n  tunnels:")),
            "edge.yaml", 3, "edge.tls.cert", abs.resolve("edge.key") + ": no '-----BEGIN CERTIFICATE-----' block");
        assertError(edgeError(EDGE.replace("  tunnels:", "  tls: {cert: edge.crt, key: edge.crt}\n  tunnels:")),
            "edge.yaml", 3, "edge.tls.key", abs.resolve("edge.crt") + ": no '-----BEGIN PRIVATE KEY-----' block");
        Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertError(edgeError(EDGE.replace("  tunnels:", "  tls: {cert: edge.crt, key: rsa.key}\n  tunnels:")),
            "edge.yaml", 3, "edge.tls.key", abs.resolve("rsa.key") + ": a 'RSA PRIVATE KEY' (PKCS#1/SEC1) key; " +
            "Warren reads PKCS#8");
        Files.writeString(dir.resolve("junk.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertError(edgeError(EDGE.replace("  tunnels:", "  tls: {cert: junk.crt, key: edge.key}\n  tunnels:")),
            "edge.yaml", 3, "edge.tls.cert", abs.resolve("junk.crt") + ": certificate 1 is not a valid X.509");
        assertError(edgeError(EDGE.replace("  tunnels:", "  tls: {cert: edge.crt, key: edge.key, minVersion: " +
            "TLSv1}\n  tunnels:")), "edge.yaml", 3, "edge.tls.minVersion", "minVersion must be TLSv1.3 or TLSv1.2");
    }

    @Test
    void shouldKeepTheLinesOfTheFileForLaterChecks() throws Exception
    {
        final LoadedConfig<EdgeConfig> loaded = loader.edge(write("edge.yaml", EDGE));

        assertEquals(16, loaded.lineOf("edge.listeners[0].connect"));
        final ConfigException error = loaded.error("edge.listeners[0].connect", "not supported yet");
        assertEquals(dir.resolve("edge.yaml") + ":16: edge.listeners[0].connect: not supported yet",
            error.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One test per class of mistake: each names the file, the key path and the line, and never the token.

    static Stream<Arguments> unknownKeys()
    {
        return Stream.of(
            Arguments.of("top", EDGE + "extra: 1\n", 18, "extra", "(expected one of: edge)"),
            Arguments.of("edge", EDGE.replace("  networks:", "  network:"), 11, "edge.network",
                "(did you mean 'networks'?)"),
            Arguments.of("tls", EDGE.replace("  tunnels:", "  tls: {cert: a.crt, private: a.key}\n  tunnels:"), 3,
                "edge.tls.private", "(expected one of: cert, key, minVersion)"),
            Arguments.of("tunnels", EDGE.replace("      token:", "      secret: x\n      token:"), 5,
                "edge.tunnels[0].secret", "(expected one of: id, token)"),
            Arguments.of("services", EDGE.replace("      httpPort:", "      port:"), 10, "edge.services[0].port",
                "(expected one of: name, tunnel, type, host, httpPort, httpsPort, tcpPort, certVerification)"),
            Arguments.of("networks", EDGE.replace("      tunnel: office\n  listeners",
                "      tunel: office\n  listeners"), 13, "edge.networks[0].tunel", "(did you mean 'tunnel'?)"),
            Arguments.of("listeners", EDGE.replace("      target:", "      targets:"), 17,
                "edge.listeners[0].targets", "(did you mean 'target'?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownKeys")
    void shouldRefuseAnUnknownKeyAtEachLevelOfAnEdgeFile(
        final String level, final String yaml, final int line, final String keyPath, final String hint)
        throws Exception
    {
        assertError(edgeError(yaml), "edge.yaml", line, keyPath, "unknown key " + hint);
    }

    @Test
    void shouldRefuseAnUnknownKeyAtEachLevelOfAConnectorFile() throws Exception
    {
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              retries: 3
            """), "connector.yaml", 5, "connector.retries",
            "unknown key (expected one of: edge, tunnel, token, haConnections, allow, metricsListen, " +
            "keepAliveConnections, keepAliveTimeout, originCaFile, tls, insecure)");
        assertError(connectorError("""
            connectors:
              edge: 127.0.0.1:7844
            """), "connector.yaml", 1, "connectors", "unknown key (did you mean 'connector'?)");
        assertError(connectorError(EDGE), "connector.yaml", 1, "edge",
            "unknown key: this is an edge file; run 'warren edge --config FILE' with it");
    }

    @Test
    void shouldSuggestTheKeyMeantByAMistypedOne() throws Exception
    {
        assertError(edgeError(EDGE.replace("tunnelListen:", "tunelListen:")), "edge.yaml", 2, "edge.tunelListen",
            "unknown key (did you mean 'tunnelListen'?)");
        assertError(edgeError(EDGE.replace("httpPort:", "httpport:")), "edge.yaml", 10, "edge.services[0].httpport",
            "unknown key (did you mean 'httpPort'?)");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              ha_connections: 2
            """), "connector.yaml", 5, "connector.ha_connections", "unknown key (did you mean 'haConnections'?)");
    }

    @Test
    void shouldRefuseAMissingRequiredField() throws Exception
    {
        assertError(edgeError(EDGE.replace("      host: 127.0.0.2\n", "")), "edge.yaml", 7, "edge.services[0].host",
            "missing (required)");
        assertError(edgeError(EDGE.replace("  tunnelListen: 127.0.0.1:7844\n", "")), "edge.yaml", 1,
            "edge.tunnelListen", "missing (required)");
        assertError(edgeError(EDGE.replace("token: ${OFFICE_TOKEN}", "token:")), "edge.yaml", 5,
            "edge.tunnels[0].token", "has no value (required)");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              token: ${OFFICE_TOKEN}
            """), "connector.yaml", 1, "connector.tunnel", "missing (required)");
        assertError(edgeError(EDGE.replace("      httpPort: 8080\n", "      type: tcp\n")),
            "edge.yaml", 7, "edge.services[0].tcpPort", "missing: a service of type: tcp needs its tcpPort");
    }

    @Test
    void shouldRefuseABadAddress() throws Exception
    {
        assertError(edgeError(EDGE.replace("tunnelListen: 127.0.0.1:7844", "tunnelListen: 127.0.0.1")),
            "edge.yaml", 2, "edge.tunnelListen", "bad address: '127.0.0.1' has no port; expected host:port");
        assertError(edgeError(EDGE.replace("tunnelListen: 127.0.0.1:7844", "tunnelListen: [::1]:7844")),
            "edge.yaml", 2, "edge.tunnelListen", "an IPv6 address must be quoted in YAML, e.g. \"[::1]:7844\"");
        assertError(edgeError(EDGE.replace("tunnelListen: 127.0.0.1:7844", "tunnelListen: [\"::1\", 7844]")),
            "edge.yaml", 2, "edge.tunnelListen",
            "expected host:port, found a list; an IPv6 address must be quoted in YAML, e.g. \"[::1]:7844\"");
        assertError(edgeError(EDGE.replace("listen: 127.0.0.1:16379", "listen: 127.0.0.1:99999")),
            "edge.yaml", 15, "edge.listeners[0].listen", "bad address: port must be 1..65535: 99999");
        assertError(edgeError(EDGE.replace("target: 127.0.0.3:6379", "target: \"::1:6379\"")),
            "edge.yaml", 17, "edge.listeners[0].target",
            "bad address: '::1:6379': write IPv6 addresses in brackets, [::1]:port");
        assertError(edgeError(EDGE.replace("host: 127.0.0.2", "host: bad host!")), "edge.yaml", 9,
            "edge.services[0].host", "bad host: host 'bad host!' has an invalid character ' '");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:edge
              tunnel: office
              token: ${OFFICE_TOKEN}
            """), "connector.yaml", 2, "connector.edge", "bad address: '127.0.0.1:edge' has no valid port");
        assertError(connectorError("""
            connector:
              edge: edge.invalid:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
            """), "connector.yaml", 2, "connector.edge", "bad address: cannot resolve host 'edge.invalid'");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              allow:
                - 10.0.0.0/8
                - 10.0.0.0/99
            """), "connector.yaml", 7, "connector.allow[1]", "10.0.0.0/99");
    }

    @Test
    void shouldReadMetricsListenAndRefuseABadOneWithItsLine() throws Exception
    {
        assertError(edgeError(EDGE.replace("  tunnels:\n", "  metricsListen: 127.0.0.1:metrics\n" +
            "  tunnels:\n")), "edge.yaml", 3, "edge.metricsListen",
            "bad address: '127.0.0.1:metrics' has no valid port");
        assertError(edgeError(EDGE.replace("  tunnels:\n", "  metricsListen: 127.0.0.1:7844\n" +
            "  tunnels:\n")), "edge.yaml", 3, "edge.metricsListen",
            "same address as edge.tunnelListen (127.0.0.1:7844)");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              metricsListen: 127.0.0.1:99999
            """), "connector.yaml", 5, "connector.metricsListen", "bad address: port must be 1..65535: 99999");

        final Path edgeFile = dir.resolve("metrics-edge.yaml");
        Files.writeString(edgeFile, EDGE.replace("  tunnels:\n", "  metricsListen: 127.0.0.1:0\n" +
            "  tunnels:\n"));
        assertEquals(new InetSocketAddress("127.0.0.1", 0), loader.loadEdge(edgeFile).metricsListen());
        final Path connectorFile = dir.resolve("metrics-connector.yaml");
        Files.writeString(connectorFile, """
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              metricsListen: "[::1]:9100"
              insecure: true
            """);
        assertEquals(new InetSocketAddress("::1", 9100), loader.loadConnector(connectorFile).metricsListen());
        writePki(dir.resolve("edge.crt"), dir.resolve("edge.key"), dir.resolve("ca.crt"));
        assertEquals(null, loader.loadConnector(fixture("connector.yaml")).metricsListen());
    }

    @Test
    void shouldReadAFetchListenersBodyLimitAndRefuseABadOneWithItsLine() throws Exception
    {
        final String base = EDGE + "    - listen: 127.0.0.1:18080\n      fetch: users-api\n"; // lines 18, 19
        assertError(edgeError(base + "      maxBodyBytes: -1\n"), "edge.yaml", 20, "edge.listeners[1].maxBodyBytes",
            "maxBodyBytes must be 0 (no limit) or more: -1");
        assertError(edgeError(EDGE.replace("      target: 127.0.0.3:6379\n", "      target: 127.0.0.3:6379\n" +
            "      maxBodyBytes: 10\n")), "edge.yaml", 18, "edge.listeners[0].maxBodyBytes",
            "maxBodyBytes applies to fetch listeners only");
        assertError(edgeError(base + "      maxBodyBytes: lots\n"), "edge.yaml", 20, "edge.listeners[1].maxBodyBytes",
            "'lots' is not a whole number");

        final Path edgeFile = dir.resolve("body-limit-edge.yaml");
        Files.writeString(edgeFile, base + "      maxBodyBytes: 1048576\n");
        assertEquals(1_048_576L, loader.loadEdge(edgeFile).listeners().get(1).maxBodyBytes());
        assertEquals(0L, loader.loadEdge(edgeFile).listeners().get(0).maxBodyBytes(), "no limit by default");
    }

    @Test
    void shouldRefuseADuplicateName() throws Exception
    {
        assertError(edgeError(EDGE.replace("name: office-net", "name: users-api")), "edge.yaml", 12,
            "edge.networks[0].name", "duplicate binding name 'users-api' (first at line 7)");
        assertError(edgeError(EDGE.replace("  services:", "    - id: office\n      token: ${OFFICE_TOKEN}\n" +
            "  services:")), "edge.yaml", 6, "edge.tunnels[1].id", "duplicate tunnel id 'office' (first at line 4)");
        assertError(edgeError(EDGE.replace("      httpPort: 8080", "      host: 127.0.0.9")), "edge.yaml", 10,
            "edge.services[0].host", "duplicate key (first at line 9)");
        assertError(edgeError(EDGE + "    - listen: 127.0.0.1:16379\n      connect: office-net\n" +
            "      target: 127.0.0.3:6380\n"), "edge.yaml", 18, "edge.listeners[1].listen",
            "address already used by edge.listeners[0] (line 15)");
    }

    @Test
    void shouldRefuseAListenerNamingAnUnknownBinding() throws Exception
    {
        assertError(edgeError(EDGE.replace("connect: office-net", "connect: office-nett")), "edge.yaml", 16,
            "edge.listeners[0].connect", "unknown binding 'office-nett' (known: users-api, office-net)");
        assertError(edgeError(EDGE.replace("      connect: office-net\n      target: 127.0.0.3:6379\n", "")),
            "edge.yaml", 15, "edge.listeners[0]", "needs 'fetch: BINDING'");
        // The rules between a listener and its binding: connect() on an http service.
        assertError(edgeError(EDGE.replace("connect: office-net", "connect: users-api")), "edge.yaml", 16,
            "edge.listeners[0].connect", "connect needs a network or a tcp service; 'users-api' is an http service");
    }

    @Test
    void shouldRefuseAServiceNamingAnUnknownTunnel() throws Exception
    {
        assertError(edgeError(EDGE.replaceFirst("tunnel: office", "tunnel: ofice")), "edge.yaml", 8,
            "edge.services[0].tunnel", "unknown tunnel 'ofice' (known: office)");
    }

    @Test
    void shouldRefuseANetworkNamingAnUnknownTunnel() throws Exception
    {
        assertError(edgeError(EDGE.replace("      tunnel: office\n  listeners", "      tunnel: home\n  listeners")),
            "edge.yaml", 13, "edge.networks[0].tunnel", "unknown tunnel 'home' (known: office)");
    }

    @Test
    void shouldRefuseAnUnsetVariable() throws Exception
    {
        assertError(edgeError(EDGE.replace("${OFFICE_TOKEN}", "${OFFICE_TOKN}")), "edge.yaml", 5,
            "edge.tunnels[0].token", "environment variable OFFICE_TOKN is not set");
        assertError(edgeError(EDGE.replace("127.0.0.2", "\"${APP_HOST}\"")), "edge.yaml", 9,
            "edge.services[0].host", "environment variable APP_HOST is not set");
        assertError(edgeError(EDGE.replace("${OFFICE_TOKEN}", "${OFFICE-TOKEN}")), "edge.yaml", 5,
            "edge.tunnels[0].token", "'${OFFICE-TOKEN}' is not a variable reference");
    }

    @Test
    void shouldRefuseAValueOfTheWrongType() throws Exception
    {
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              haConnections: four
            """), "connector.yaml", 5, "connector.haConnections", "'four' is not a whole number");
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              allow: 10.0.0.0/8
            """), "connector.yaml", 5, "connector.allow", "expected a list ('- ' items), found text");
        assertError(edgeError(EDGE.replace("  networks:\n    - name: office-net\n      tunnel: office\n",
            "  networks: office-net\n")), "edge.yaml", 11, "edge.networks", "expected a list ('- ' items), found text");
        assertError(edgeError(EDGE.replace("httpPort: 8080", "httpPort: {port: 8080}")), "edge.yaml", 10,
            "edge.services[0].httpPort", "expected text, found a mapping");
        assertError(edgeError(EDGE.replace("httpPort: 8080", "httpPort: 0")), "edge.yaml", 10,
            "edge.services[0].httpPort", "must be a port, 1..65535: 0");
        // A rule of the record itself, reported at the key it names.
        assertError(connectorError("""
            connector:
              edge: 127.0.0.1:7844
              tunnel: office
              token: ${OFFICE_TOKEN}
              haConnections: 0
            """), "connector.yaml", 5, "connector.haConnections", "haConnections must be 1..64: 0");
        assertError(edgeError(EDGE.replace("${OFFICE_TOKEN}", "short")), "edge.yaml", 5, "edge.tunnels[0].token",
            "token of tunnel 'office' must be at least 16 characters");
    }

    @Test
    void shouldRefuseABadChoice() throws Exception
    {
        assertError(edgeError(EDGE.replace("      httpPort: 8080", "      type: htp")), "edge.yaml", 10,
            "edge.services[0].type", "'htp' is not one of: http, tcp (did you mean 'http'?)");
        assertError(edgeError(EDGE.replace("      httpPort: 8080", "      certVerification: none")), "edge.yaml", 10,
            "edge.services[0].certVerification", "'none' is not one of: verify_full, verify_ca, disabled");
        assertError(edgeError(EDGE.replace("      httpPort: 8080", "      httpPort: 8080\n      tcpPort: 9")),
            "edge.yaml", 11, "edge.services[0].tcpPort", "applies to type: tcp only, and this service is type: http");
    }

    @Test
    void shouldRefuseAnEmptyFile() throws Exception
    {
        assertError(edgeError(""), "edge.yaml", 1, "edge", "missing: the file is empty; it must start with 'edge:'");
        assertError(edgeError("# nothing but a comment\n\n"), "edge.yaml", 1, "edge",
            "missing: the file is empty; it must start with 'edge:'");
        assertError(connectorError("connector:\n"), "connector.yaml", 1, "connector", "has no value (required)");
    }

    @Test
    void shouldRefuseAFileThatIsNotYaml() throws Exception
    {
        assertError(edgeError("""
            Dear operator,
            this is a letter, not a configuration.
            """), "edge.yaml", 1, "edge", "missing: the file must start with 'edge:', but it starts with text");
        assertError(edgeError("- edge\n- connector\n"), "edge.yaml", 1, "edge",
            "missing: the file must start with 'edge:', but it starts with a list");

        final Path binary = dir.resolve("edge.yaml");
        Files.write(binary, new byte[]{'e', 'd', 'g', 'e', ':', '\n', ' ', ' ', (byte)0xC3, 0x28, '\n'});
        assertError(assertThrows(ConfigException.class, () -> loader.loadEdge(binary)), "edge.yaml", 2, "",
            "not a YAML text file: it is not UTF-8 (a binary file?)");
        Files.write(binary, new byte[]{'e', 'd', 'g', 'e', ':', 0, 1, 2});
        assertError(assertThrows(ConfigException.class, () -> loader.loadEdge(binary)), "edge.yaml", 1, "",
            "not a YAML text file: control character 0x00 (a binary file?)");
    }

    @Test
    void shouldRefuseBrokenIndentationAndStructure() throws Exception
    {
        assertError(edgeError(EDGE.replace("  tunnels:", "    tunnels:")), "edge.yaml", 3, "edge.tunnelListen",
            "unexpected 'key: value' here; check the indentation");
        assertError(edgeError(EDGE.replace("      tunnel: office\n      host", "     tunnel: office\n      host")),
            "edge.yaml", 8, "edge.services[0]", "unexpected 'key: value' here; check the indentation");
        // The list may sit at any indentation, but the keys of one item must line up.
        assertError(edgeError(EDGE.replace("    - name: office-net", "   - name: office-net")), "edge.yaml", 13,
            "edge.networks[0].name", "unexpected 'key: value' here; check the indentation");
        assertError(edgeError(EDGE.replace("  networks:", "\tnetworks:")), "edge.yaml", 11, "",
            "tab in indentation: YAML indents with spaces only");
        assertError(edgeError(EDGE.replace("[", "").replace("target: 127.0.0.3:6379", "target: [127.0.0.3:6379")),
            "edge.yaml", 17, "edge.listeners[0].target", "'[' is never closed with ']'");
        assertError(edgeError(EDGE.replace("host: 127.0.0.2", "host: 127.0.0.2}")), "edge.yaml", 9,
            "edge.services[0]", "unexpected '}' (no '{' opened it)");
        assertError(edgeError(EDGE.replace("host: 127.0.0.2", "host: \"127.0.0.2")), "edge.yaml", 9,
            "edge.services[0].host", "quoted text is never closed");
        assertError(edgeError(EDGE.replace("host: 127.0.0.2", "host: 127.0.0.2#9")), "edge.yaml", 9, "",
            "'#' inside unquoted text would start a comment");
        assertError(edgeError(EDGE.replace("host: 127.0.0.2", "host: &h 127.0.0.2")), "edge.yaml", 9,
            "edge.services[0].host", "YAML anchors (&), aliases (*) and tags (!) are not supported");
        assertError(edgeError(EDGE + "---\nedge:\n"), "edge.yaml", 18, "", "more than one YAML document");
    }

    @Test
    void shouldRefuseAHugeFileOrDeepGarbageQuicklyWithoutHanging() throws Exception
    {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        {
            final StringBuilder many = new StringBuilder("edge:\n  tunnelListen: 127.0.0.1:7844\n  tunnels:\n");
            for (int i = 0; i <= YamlTreeReader.MAX_ENTRIES; i++)
            {
                many.append("    - id: t").append(i).append("\n      token: ${OFFICE_TOKEN}\n");
            }
            assertError(edgeError(many.toString()), "edge.yaml", 4 + 2 * YamlTreeReader.MAX_ENTRIES, "edge.tunnels",
                "more than 10000 items in one list");

            final Path huge = dir.resolve("edge.yaml");
            final byte[] line = "# padding padding padding padding padding padding padding padding padding\n"
                .getBytes(StandardCharsets.US_ASCII);
            try (var out = Files.newOutputStream(huge))
            {
                for (long written = 0; written <= ConfigLoader.MAX_FILE_BYTES; written += line.length)
                {
                    out.write(line);
                }
            }
            final ConfigException tooLarge = assertThrows(ConfigException.class, () -> loader.loadEdge(huge));
            assertEquals(huge.toString(), tooLarge.file());
            assertTrue(tooLarge.getMessage().startsWith(huge + ": too large for a configuration file: "),
                tooLarge.getMessage());

            assertError(edgeError("edge:\n  tunnels: " + "[".repeat(100_000) + "\n"), "edge.yaml", 2,
                "edge.tunnels[0][0][0][0][0][0][0][0][0][0][0][0][0][0]", "nested more than 16 levels deep");
            final StringBuilder deep = new StringBuilder("edge:\n");
            for (int i = 1; i < 40; i++)
            {
                deep.append(" ".repeat(2 * i)).append("k").append(i).append(":\n");
            }
            final ConfigException deepBlocks = edgeError(deep.toString());
            assertEquals(17, deepBlocks.line(), deepBlocks.getMessage());
            assertTrue(deepBlocks.getMessage().endsWith("nested more than 16 levels deep"), deepBlocks.getMessage());

            final ConfigException commas = edgeError("edge:\n  tunnels: [" + ",".repeat(1_000_000) + "]\n");
            assertEquals(2, commas.line(), commas.getMessage());
        });
    }

    @Test
    void shouldNeverPutTheTokenInAMessage() throws Exception
    {
        // The token written inline, then named where an error quotes the value.
        final String inline = EDGE.replace("${OFFICE_TOKEN}", TOKEN);
        final ConfigException unknown = edgeError(inline.replaceFirst("tunnel: office", "tunnel: " + TOKEN));
        assertError(unknown, "edge.yaml", 8, "edge.services[0].tunnel", "unknown tunnel '<redacted>' (known: office)");
        final ConfigException misplaced = edgeError(inline.replace("host: 127.0.0.2", "host: " + TOKEN + ":1"));
        assertFalse(misplaced.getMessage().contains(TOKEN), misplaced.getMessage());
        // The token's variable in the wrong place, read before the token itself.
        final ConfigException early = edgeError(EDGE.replace("tunnelListen: 127.0.0.1:7844",
            "tunnelListen: ${OFFICE_TOKEN}"));
        assertError(early, "edge.yaml", 2, "edge.tunnelListen", "bad address: '<redacted>' has no port");
        final ConfigException broken = edgeError(inline.replace("token: " + TOKEN, "token: \"" + TOKEN));
        assertError(broken, "edge.yaml", 5, "edge.tunnels[0].token", "quoted text is never closed");
    }

    @Test
    void shouldShowVariablesNotTheirValuesInMessages() throws Exception
    {
        // docs/FUZZING.md finding 3: a secret put in a non-token key by mistake must not reach a message either
        final Map<String, String> environment = Map.of("OFFICE_TOKEN", TOKEN, "EDGE_SECRET", "hunter2-is-secret",
            "APP_HOST", "bad host!", "PORT", "99999", "TUN", "xy", "NET", "zz-net");
        final ConfigLoader withVariables = new ConfigLoader(environment::get, host ->
        {
            throw new UnknownHostException(host);
        });
        final Path connector = write("connector.yaml", """
            connector:
              edge: ${EDGE_SECRET}
              tunnel: office
            """);
        final ConfigException noToken = assertThrows(ConfigException.class, () -> withVariables.loadConnector(connector));
        assertError(noToken, "connector.yaml", 2, "connector.edge", "bad address: '${EDGE_SECRET}' has no port");
        assertFalse(noToken.getMessage().contains("hunter2"), noToken.getMessage());

        final Path host = write("edge.yaml", EDGE.replace("host: 127.0.0.2", "host: ${APP_HOST}"));
        final ConfigException badHost = assertThrows(ConfigException.class, () -> withVariables.loadEdge(host));
        assertError(badHost, "edge.yaml", 9, "edge.services[0].host", "bad host: host '${APP_HOST}'");
        assertFalse(badHost.getMessage().contains("bad host!"), badHost.getMessage());

        final Path port = write("edge.yaml", EDGE.replace("listen: 127.0.0.1:16379", "listen: 127.0.0.1:${PORT}"));
        final ConfigException badPort = assertThrows(ConfigException.class, () -> withVariables.loadEdge(port));
        assertError(badPort, "edge.yaml", 15, "edge.listeners[0].listen", "bad address: port must be 1..65535: ${PORT}");

        // a short value is hidden where a message quotes it
        final Path tunnel = write("edge.yaml", EDGE.replaceFirst("tunnel: office",
            java.util.regex.Matcher.quoteReplacement("tunnel: ${TUN}")));
        final ConfigException unknown = assertThrows(ConfigException.class, () -> withVariables.loadEdge(tunnel));
        assertError(unknown, "edge.yaml", 8, "edge.services[0].tunnel", "unknown tunnel '${TUN}' (known: office)");
        // a value written in the file as it is stays as it is
        final Path binding = write("edge.yaml", EDGE.replace("connect: office-net", "connect: ${NET}-x"));
        final ConfigException unknownBinding = assertThrows(ConfigException.class, () -> withVariables.loadEdge(binding));
        assertTrue(unknownBinding.getMessage().contains("unknown binding '${NET}-x'"), unknownBinding.getMessage());
        assertTrue(unknownBinding.getMessage().contains("office-net"), "the known names are not variables: " +
            unknownBinding.getMessage());
    }

    @Test
    void shouldFailOnlyWithConfigExceptionsOnMangledFiles() throws Exception
    {
        final String spec = new String(readFixture("edge.yaml"), StandardCharsets.UTF_8);
        final String alphabet = " \n:-[]{},#'\"&*!|>%@`?~${}\\\t0aZ";
        final SplittableRandom random = new SplittableRandom(20_261_127);
        final List<String> outcomes = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            for (int round = 0; round < 1500; round++)
            {
                final StringBuilder mangled = new StringBuilder(spec);
                final int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits; e++)
                {
                    final int at = random.nextInt(mangled.length());
                    switch (random.nextInt(3))
                    {
                        case 0 -> mangled.deleteCharAt(at);
                        case 1 -> mangled.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        default -> mangled.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                final Path file = write("edge.yaml", mangled.toString());
                try
                {
                    loader.loadEdge(file);
                    outcomes.add("loaded");
                }
                catch (final ConfigException ex)
                {
                    assertTrue(ex.getMessage().startsWith(file.toString() + ":"), ex.getMessage());
                    assertFalse(ex.getMessage().contains(TOKEN), ex.getMessage());
                    outcomes.add("refused");
                }
                catch (final RuntimeException ex)
                {
                    fail("round " + round + ": " + ex + " for:\n" + mangled, ex);
                }
            }
        });
        assertTrue(outcomes.contains("refused"));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private ConfigException edgeError(final String yaml) throws IOException
    {
        final Path file = write("edge.yaml", yaml);
        return assertThrows(ConfigException.class, () -> loader.loadEdge(file));
    }

    private ConfigException connectorError(final String yaml) throws IOException
    {
        final Path file = write("connector.yaml", yaml);
        return assertThrows(ConfigException.class, () -> loader.loadConnector(file));
    }

    /** The message is exactly {@code FILE:LINE: KEY: PROBLEM}, the problem starts with {@code problem}. */
    private void assertError(
        final ConfigException error, final String fileName, final int line, final String keyPath, final String problem)
    {
        final String message = error.getMessage();
        final String file = dir.resolve(fileName).toString();
        assertEquals(file, error.file(), message);
        assertEquals(line, error.line(), message);
        assertEquals(keyPath, error.keyPath(), message);
        final String prefix = file + ":" + line + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ");
        assertTrue(message.startsWith(prefix + problem) || (message.startsWith(prefix) && message.contains(problem)),
            () -> "expected " + prefix + problem + "... but was " + message);
        assertFalse(message.contains(TOKEN), message);
        assertFalse(message.contains("\n"), message);
    }

    /** Real PEM files: an EC edge certificate for 127.0.0.1, its key, and the CA that signed it. */
    private static void writePki(final Path cert, final Path key, final Path ca) throws IOException
    {
        final java.time.Instant now = java.time.Instant.now();
        final DevCertificates.Issued authority = DevCertificates.ca("test CA", DevCertificates.ecKeys(),
            now.minusSeconds(60), now.plusSeconds(3600));
        final DevCertificates.Issued edge = DevCertificates.server(authority, "edge", List.of("127.0.0.1"),
            DevCertificates.ecKeys(), now.minusSeconds(60), now.plusSeconds(3600));
        Files.writeString(cert, DevCertificates.pem(edge.certificate()));
        Files.writeString(key, DevCertificates.pem(edge.key()));
        Files.writeString(ca, DevCertificates.pem(authority.certificate()));
    }

    private Path write(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path fixture(final String name) throws IOException
    {
        return Files.write(dir.resolve(name), readFixture(name));
    }

    private static byte[] readFixture(final String name) throws IOException
    {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name))
        {
            return in.readAllBytes();
        }
    }
}
