package dev.warren.engine.support;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A connector in a process of its own, so a test can kill it as an operator (or the OOM killer) would. {@link #main}
 * runs in the child; {@link #start} launches it with the project's JVM flags and the test's class path.
 */
public final class ConnectorProcess
{
    private ConnectorProcess()
    {
    }

    /** Child: {@code edgePort tunnel token haConnections}. Runs until killed. */
    public static void main(final String[] args) throws InterruptedException
    {
        final Connector connector = Warren.startConnector(ConnectorConfig.builder()
            .edge(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))
            .tunnel(args[1], args[2])
            .haConnections(Integer.parseInt(args[3]))
            .eventLoops(1)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(200))
            .allow("127.0.0.0/8")
            .insecure(true)
            .build());
        System.out.println("connector started: " + connector);
        Thread.currentThread().join();
    }

    public static Process start(final int edgePort, final int haConnections) throws IOException
    {
        return start(edgePort, haConnections, List.of());
    }

    /** With extra JVM options, e.g. {@code -Dwarren.tunnel.pingIntervalMs=400}. */
    public static Process start(final int edgePort, final int haConnections, final List<String> jvmOptions)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(jvmOptions);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ConnectorProcess.class.getName());
        command.add(String.valueOf(edgePort));
        command.add(Tunnels.TUNNEL);
        command.add(Tunnels.TOKEN);
        command.add(String.valueOf(haConnections));
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The project's one definition of the JVM flags, as filtered into the engine's resources. */
    public static List<String> jvmFlags() throws IOException
    {
        try (InputStream in = ConnectorProcess.class.getResourceAsStream("/dev/warren/jvm.flags"))
        {
            if (in == null)
            {
                throw new IOException("dev/warren/jvm.flags is not on the class path");
            }
            final String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return Arrays.asList(flags.split("\\s+"));
        }
    }
}
