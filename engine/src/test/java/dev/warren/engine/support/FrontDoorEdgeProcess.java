package dev.warren.engine.support;

import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.engine.edge.EdgeRuntime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An edge with two {@code fetch:} listeners on one VPC Service, its connector and the service's origin (a JDK
 * {@code HttpServer} answering 200 "ok"), in a process of its own: a test that holds 10,000 client sockets needs the
 * edge's 10,000 server sockets in another process (one process may open 20,000 files here). {@link #main} runs in the
 * child and prints {@code ready <listener A port> <listener B port>}; then each line on stdin is a question answered
 * on one line of stdout: {@code heap} (bytes of heap in use after a full GC), {@code pool} (the edge's pooled chunks
 * in use). {@link #start} launches it with the project's JVM flags and the test's class path.
 */
public final class FrontDoorEdgeProcess
{
    private FrontDoorEdgeProcess()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        origin.createContext("/", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        });
        origin.start();
        final Edge edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .service(ServiceConfig.http("web", Tunnels.TUNNEL, "127.0.0.1", origin.getAddress().getPort(), 0,
                CertVerification.VERIFY_FULL))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), "web"))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), "web"))
            .eventLoops(2)
            .build());
        final Connector connector = Tunnels.connector(edge);
        System.out.println("ready " + edge.listenerAddresses().get(0).getPort() + " " +
            edge.listenerAddresses().get(1).getPort());
        System.out.flush();
        final BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine())
        {
            switch (line.trim())
            {
                case "heap":
                    System.gc();
                    System.gc();
                    System.out.println(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                    break;
                case "pool":
                    System.out.println(Tunnels.buffersInUse(((EdgeRuntime)edge).loops()));
                    break;
                default:
                    System.out.println("? " + line);
                    break;
            }
            System.out.flush();
        }
        connector.close();
        edge.close();
        origin.stop(0);
    }

    /** Starts the child with {@code jvmOptions} (e.g. the head timeout) and the heap {@code -Xmx}. */
    public static Process start(final List<String> jvmOptions, final String maxHeap) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ConnectorProcess.jvmFlags());
        command.addAll(jvmOptions);
        command.add("-Xmx" + maxHeap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FrontDoorEdgeProcess.class.getName());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(
            Path.of("target", "front-door-edge-process.log").toFile())).start();
    }
}
