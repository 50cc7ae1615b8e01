package dev.warren.engine;

import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ErrorCode;
import dev.warren.api.ListenerConfig;
import dev.warren.api.WarrenException;
import dev.warren.engine.support.ConnectorProcess;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names the connector cannot resolve: {@code dns_error} through fetch(), connect() and a fetch: listener (502). The
 * connector runs in its own JVM with {@code jdk.net.hosts.file}, so its resolver answers from a file and no query
 * ever leaves the machine: {@code known.test} is 127.0.0.1 there, {@code unknown.test} is nothing.
 */
class DnsErrorTest
{
    private Edge edge;
    private Process connector;
    private HttpServer origin;

    @AfterEach
    void tearDown()
    {
        if (connector != null)
        {
            connector.destroyForcibly();
        }
        if (edge != null)
        {
            edge.close();
        }
        if (origin != null)
        {
            origin.stop(0);
        }
    }

    @Test
    void shouldReportDnsErrorThroughEveryPathAndResolveKnownNames(@TempDir final Path dir) throws Exception
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            final byte[] body = ("hello " + exchange.getRequestHeaders().getFirst("Host")).getBytes(
                StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        origin.start();
        final int port = origin.getAddress().getPort();
        final Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 known.test\n");
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), Tunnels.NETWORK))
            .eventLoops(1)
            .build());
        connector = ConnectorProcess.start(edge.tunnelAddress().getPort(), 1,
            List.of("-Djdk.net.hosts.file=" + hosts));
        Tunnels.await("the connector process connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 1, 20_000);

        assertEquals("hello known.test:" + port, edge.network(Tunnels.NETWORK)
            .fetch("http://known.test:" + port + "/").get(10, TimeUnit.SECONDS).text().get(10, TimeUnit.SECONDS),
            "a name in the connector's hosts file resolves there, within the allow-list's 127.0.0.0/8");

        final ExecutionException fetch = assertThrows(ExecutionException.class, () -> edge.network(Tunnels.NETWORK)
            .fetch("http://unknown.test:" + port + "/").get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.DNS_ERROR, assertInstanceOf(WarrenException.class, fetch.getCause()).code(),
            fetch.getCause().getMessage());
        final ExecutionException connect = assertThrows(ExecutionException.class, () -> edge.network(Tunnels.NETWORK)
            .connect("unknown.test:" + port).opened().get(10, TimeUnit.SECONDS));
        final WarrenException connectError = assertInstanceOf(WarrenException.class, connect.getCause());
        assertEquals(ErrorCode.DNS_ERROR, connectError.code());
        assertTrue(connectError.getMessage().contains("unknown.test"), connectError.getMessage());

        try (Socket client = new Socket("127.0.0.1", edge.listenerAddresses().get(0).getPort()))
        {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("GET http://unknown.test:" + port + "/ HTTP/1.1\r\nHost: unknown.test\r\n" +
                "\r\n").getBytes(StandardCharsets.US_ASCII));
            final String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 502 "), answer);
            assertTrue(answer.contains("X-Warren-Error: dns_error"), answer);
        }
    }
}
