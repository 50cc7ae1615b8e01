package dev.warren.engine.config;

import dev.warren.api.CertVerification;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.NetworkConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.api.ServiceType;
import dev.warren.api.TlsConfig;
import dev.warren.engine.tls.PemFiles;
import dev.warren.api.TunnelConfig;
import dev.warren.engine.net.HostPort;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an edge file (SPEC §6, exactly its keys) into an {@link EdgeConfig}:
 * <pre>
 * edge: { tunnelListen, tls: {cert, key, minVersion}, tunnels: [{id, token}],
 *         services: [{name, tunnel, type, host, httpPort, httpsPort, tcpPort, certVerification}],
 *         networks: [{name, tunnel}], listeners: [{listen, fetch | connect, target, maxConnections, maxBodyBytes}], metricsListen }
 * </pre>
 * Defaults: {@code type: http}; {@code certVerification: verify_full}; an http service with neither port serves
 * both, on 80 and 443, and with one serves only that scheme. {@code tls} paths are relative to the file's folder;
 * the PEM files are parsed here (a bad one, or a key that does not match the certificate, is reported at its key's
 * line); {@code minVersion} is {@code TLSv1.3} (default) or {@code TLSv1.2}.
 * The rules between elements (a unique id or name, a known tunnel or binding, one listener per address) are
 * checked here so that a failure names the element; every other rule is the records', and their
 * {@link IllegalArgumentException} is reported at the element that broke it.
 * <p>
 * <b>Threading.</b> Stateless; runs on the loading thread.
 */
final class EdgeConfigReader
{
    static final List<String> TOP_KEYS = List.of("edge");
    static final List<String> EDGE_KEYS =
        List.of("tunnelListen", "tls", "tunnels", "services", "networks", "listeners", "metricsListen");
    static final List<String> TLS_KEYS = List.of("cert", "key", "minVersion");
    static final List<String> TUNNEL_KEYS = List.of("id", "token");
    static final List<String> SERVICE_KEYS =
        List.of("name", "tunnel", "type", "host", "httpPort", "httpsPort", "tcpPort", "certVerification");
    static final List<String> NETWORK_KEYS = List.of("name", "tunnel");
    static final List<String> LISTENER_KEYS =
        List.of("listen", "fetch", "connect", "target", "maxConnections", "maxBodyBytes");

    private EdgeConfigReader()
    {
    }

    static EdgeConfig read(final ConfigDocument document, final YamlNode root) throws ConfigException
    {
        final MappingReader top = MappingReader.root(document, root, "edge", "connector", "connector");
        top.allowOnly(TOP_KEYS);
        final MappingReader edge = top.mapping("edge", true);
        edge.allowOnly(EDGE_KEYS);

        final InetSocketAddress tunnelListen = edge.address("tunnelListen", true);
        final TlsConfig tls = tls(document, edge.mapping("tls", false));
        final InetSocketAddress metricsListen = edge.has("metricsListen") ? edge.address("metricsListen", true) : null;
        if (metricsListen != null && metricsListen.getPort() != 0 && metricsListen.equals(tunnelListen))
        {
            throw edge.error("metricsListen", "same address as edge.tunnelListen (" + hostPortText(metricsListen) + ")");
        }

        final Map<String, Integer> tunnelLines = new LinkedHashMap<>();
        final List<TunnelConfig> tunnels = tunnels(edge, tunnelLines);

        final Map<String, Integer> bindingLines = new LinkedHashMap<>();
        final List<ServiceConfig> services = new ArrayList<>();
        for (final MappingReader service : edge.mappings("services"))
        {
            services.add(service(service, tunnelLines, bindingLines));
        }
        final List<NetworkConfig> networks = new ArrayList<>();
        for (final MappingReader network : edge.mappings("networks"))
        {
            network.allowOnly(NETWORK_KEYS);
            final String name = network.text("name", true, false);
            unique(network, "name", name, bindingLines, "binding name");
            final String tunnel = network.text("tunnel", true, false);
            knownTunnel(network, tunnel, tunnelLines);
            networks.add(network.build(() -> new NetworkConfig(name, tunnel), "name", "tunnel"));
        }

        final List<ListenerConfig> listeners = new ArrayList<>();
        final Map<InetSocketAddress, String> listenerAt = new HashMap<>();
        for (final MappingReader listener : edge.mappings("listeners"))
        {
            final ListenerConfig config = listener(listener, tunnelListen, bindingLines, listenerAt);
            // The rules between a listener and its binding are EdgeConfig's: check this one alone against them,
            // so that a failure names it.
            listener.build(() -> new EdgeConfig(tunnelListen, tls, tunnels, services, networks, List.of(config), 0),
                "connect", "fetch", "target", "listen");
            listeners.add(config);
        }
        return edge.build(
            () -> new EdgeConfig(tunnelListen, tls, tunnels, services, networks, listeners, 0, metricsListen),
            "tunnelListen", "tls", "tunnels", "services", "networks", "listeners", "metricsListen");
    }

    private static TlsConfig tls(final ConfigDocument document, final MappingReader tls) throws ConfigException
    {
        if (tls == null)
        {
            return null;
        }
        tls.allowOnly(TLS_KEYS);
        final Path cert = file(document, tls, "cert");
        final Path key = file(document, tls, "key");
        final String minVersion = tls.has("minVersion") ? tls.text("minVersion", true, false) : TlsConfig.TLS_1_3;
        final java.util.List<java.security.cert.X509Certificate> chain = pem(tls, "cert",
            () -> PemFiles.certificates(cert));
        final java.security.PrivateKey privateKey = pem(tls, "key", () -> PemFiles.privateKey(key));
        pem(tls, "key", () ->
        {
            PemFiles.checkKeyMatches(privateKey, chain.get(0), key, cert);
            return null;
        });
        return tls.build(() -> new TlsConfig(cert, key, minVersion), "cert", "key", "minVersion");
    }

    /** Runs a PEM read; its {@link IllegalArgumentException} (which names the file) is reported at {@code key}. */
    static <T> T pem(final MappingReader reader, final String key, final java.util.function.Supplier<T> read)
        throws ConfigException
    {
        try
        {
            return read.get();
        }
        catch (final IllegalArgumentException ex)
        {
            throw reader.error(key, ex.getMessage());
        }
    }

    /** A file named relative to the configuration file's folder; it must exist and be readable. */
    static Path file(final ConfigDocument document, final MappingReader reader, final String key)
        throws ConfigException
    {
        final String name = reader.text(key, true, false);
        final Path file;
        try
        {
            file = document.folder().resolve(name).normalize();
        }
        catch (final InvalidPathException ex)
        {
            throw reader.error(key, "not a file name: " + ex.getMessage());
        }
        if (!Files.isRegularFile(file))
        {
            throw reader.error(key, "no such file: " + file);
        }
        if (!Files.isReadable(file))
        {
            throw reader.error(key, "cannot read " + file);
        }
        return file;
    }

    private static List<TunnelConfig> tunnels(final MappingReader edge, final Map<String, Integer> tunnelLines)
        throws ConfigException
    {
        final List<MappingReader> readers = edge.mappings("tunnels");
        if (readers.isEmpty())
        {
            throw edge.error("tunnels", "at least one tunnel is required ('- id: ...' with its 'token: ...')");
        }
        final List<TunnelConfig> tunnels = new ArrayList<>(readers.size());
        for (final MappingReader tunnel : readers)
        {
            tunnel.allowOnly(TUNNEL_KEYS);
            final String id = tunnel.text("id", true, false);
            final String token = tunnel.text("token", true, true);
            unique(tunnel, "id", id, tunnelLines, "tunnel id");
            tunnels.add(tunnel.build(() -> new TunnelConfig(id, token), "token", "id"));
        }
        return tunnels;
    }

    private static ServiceConfig service(
        final MappingReader service, final Map<String, Integer> tunnelLines, final Map<String, Integer> bindingLines)
        throws ConfigException
    {
        service.allowOnly(SERVICE_KEYS);
        final String name = service.text("name", true, false);
        unique(service, "name", name, bindingLines, "binding name");
        final String tunnel = service.text("tunnel", true, false);
        knownTunnel(service, tunnel, tunnelLines);
        final ServiceType type = service.choice("type", ServiceType.values(), ServiceType.HTTP);
        final String host = host(service);
        final CertVerification verification =
            service.choice("certVerification", CertVerification.values(), CertVerification.VERIFY_FULL);
        final int httpPort;
        final int httpsPort;
        final int tcpPort;
        if (type == ServiceType.HTTP)
        {
            if (service.has("tcpPort"))
            {
                throw service.error("tcpPort", "applies to type: tcp only, and this service is type: http");
            }
            final boolean http = service.has("httpPort");
            final boolean https = service.has("httpsPort");
            httpPort = http ? service.port("httpPort") : https ? 0 : ServiceConfig.DEFAULT_HTTP_PORT;
            httpsPort = https ? service.port("httpsPort") : http ? 0 : ServiceConfig.DEFAULT_HTTPS_PORT;
            tcpPort = 0;
        }
        else
        {
            for (final String key : new String[]{"httpPort", "httpsPort"})
            {
                if (service.has(key))
                {
                    throw service.error(key, "applies to type: http only, and this service is type: tcp");
                }
            }
            if (!service.has("tcpPort"))
            {
                throw service.error("tcpPort", "missing: a service of type: tcp needs its tcpPort");
            }
            httpPort = 0;
            httpsPort = 0;
            tcpPort = service.port("tcpPort");
        }
        return service.build(
            () -> new ServiceConfig(name, tunnel, type, host, httpPort, httpsPort, tcpPort, verification),
            "tcpPort", "httpPort", "httpsPort", "host", "certVerification", "type", "tunnel", "name");
    }

    /** An IP literal (IPv6 with or without brackets) or a host name, resolved later on the connector's side. */
    private static String host(final MappingReader service) throws ConfigException
    {
        String host = service.text("host", true, false);
        if (host.startsWith("[") && host.endsWith("]") && HostPort.isIpv6Literal(host.substring(1, host.length() - 1)))
        {
            host = host.substring(1, host.length() - 1);
        }
        final String problem = HostPort.checkHost(host);
        if (problem != null)
        {
            throw service.error("host", "bad host: " + problem);
        }
        return host;
    }

    private static ListenerConfig listener(
        final MappingReader listener, final InetSocketAddress tunnelListen, final Map<String, Integer> bindingLines,
        final Map<InetSocketAddress, String> listenerAt) throws ConfigException
    {
        listener.allowOnly(LISTENER_KEYS);
        final InetSocketAddress listen = listener.address("listen", true);
        if (listen.getPort() != 0)
        {
            if (listen.equals(tunnelListen))
            {
                throw listener.error("listen", "same address as edge.tunnelListen (" + hostPortText(listen) + ")");
            }
            final String first = listenerAt.putIfAbsent(listen, listener.path() + " (line " + listener.line() + ")");
            if (first != null)
            {
                throw listener.error("listen", "address already used by " + first);
            }
        }
        final String fetch = listener.text("fetch", false, false);
        final String connect = listener.text("connect", false, false);
        if (fetch == null && connect == null)
        {
            throw listener.error("needs 'fetch: BINDING' (each HTTP request becomes a fetch()) or " +
                "'connect: BINDING' (each TCP connection becomes a connect())");
        }
        if (fetch != null && connect != null)
        {
            throw listener.error(listener.lineOf("fetch") > listener.lineOf("connect") ? "fetch" : "connect",
                "give one of fetch: and connect:, not both");
        }
        final String bindingKey = fetch != null ? "fetch" : "connect";
        final String binding = fetch != null ? fetch : connect;
        if (!bindingLines.containsKey(binding))
        {
            throw listener.error(bindingKey, "unknown binding '" + binding + "' (known: " +
                (bindingLines.isEmpty() ? "none" : String.join(", ", bindingLines.keySet())) + ")");
        }
        final String target = listener.text("target", false, false);
        if (target != null)
        {
            try
            {
                HostPort.parse(target);
            }
            catch (final IllegalArgumentException ex)
            {
                throw listener.error("target", "bad address: " + ex.getMessage());
            }
        }
        final int maxConnections = listener.integer("maxConnections", ListenerConfig.DEFAULT_MAX_CONNECTIONS);
        final int maxBodyBytes = listener.integer("maxBodyBytes", 0);
        return listener.build(() -> new ListenerConfig(listen, fetch, connect, target, maxConnections, maxBodyBytes),
            "target", "maxBodyBytes", "fetch", "connect", "listen", "maxConnections");
    }

    private static String hostPortText(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void unique(
        final MappingReader reader, final String key, final String value, final Map<String, Integer> seen,
        final String what) throws ConfigException
    {
        final Integer first = seen.putIfAbsent(value, reader.lineOf(key));
        if (first != null)
        {
            throw reader.error(key, "duplicate " + what + " '" + value + "' (first at line " + first + ")");
        }
    }

    private static void knownTunnel(
        final MappingReader reader, final String tunnel, final Map<String, Integer> tunnelLines)
        throws ConfigException
    {
        if (!tunnelLines.containsKey(tunnel))
        {
            throw reader.error("tunnel", "unknown tunnel '" + tunnel + "' (known: " +
                String.join(", ", tunnelLines.keySet()) + ")");
        }
    }
}
