package dev.warren.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code warren edge} and {@code warren connector} as real child processes, the way {@code bin/warren} runs them
 * (java from {@code java.home}, the build's JVM flags, {@code WarrenMain}): they connect on loopback, log it, and
 * SIGTERM stops each cleanly with exit status 0; a bad file exits 2 with one {@code file:line: key: problem} line.
 */
class EdgeConnectorCommandTest
{
    private static final String TOKEN = "child-process-token-0123456789";
    private static final long STARTUP_TIMEOUT_S = 30;
    private static final long EXIT_TIMEOUT_S = 10;

    @TempDir
    Path dir;

    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void killLeftovers()
    {
        for (final Child child : children)
        {
            child.process.destroyForcibly();
        }
    }

    @Test
    void shouldConnectOverTlsAndStopCleanlyOnSigterm() throws Exception
    {
        final java.io.ByteArrayOutputStream certsOut = new java.io.ByteArrayOutputStream();
        assertEquals(WarrenMain.EXIT_OK, WarrenMain.run(new String[]{"certs", "--out", dir.resolve("pki").toString()},
            new java.io.PrintStream(certsOut, true, StandardCharsets.UTF_8), System.err), certsOut::toString);
        final int tunnelPort = freePort();
        final int frontDoorPort = freePort();
        final Path edgeFile = Files.writeString(dir.resolve("edge.yaml"), String.join("\n",
            "edge:",
            "  tunnelListen: 127.0.0.1:" + tunnelPort,
            "  tls: {cert: pki/edge.crt, key: pki/edge.key}",
            "  tunnels:",
            "    - id: office",
            "      token: ${OFFICE_TOKEN}",
            "  networks:",
            "    - name: office-net",
            "      tunnel: office",
            "  listeners:",
            "    - listen: 127.0.0.1:" + frontDoorPort,
            "      connect: office-net",
            "      target: 127.0.0.1:9",
            ""));
        final Path connectorFile = Files.writeString(dir.resolve("connector.yaml"), String.join("\n",
            "connector:",
            "  edge: 127.0.0.1:" + tunnelPort,
            "  tunnel: office",
            "  token: ${OFFICE_TOKEN}",
            "  haConnections: 2",
            "  allow:",
            "    - 127.0.0.0/8",
            "  tls: {caFile: pki/ca.crt}",
            ""));

        final Child edge = start("edge", "--config", edgeFile.toString());
        assertTrue(edge.awaitLine(line -> line.contains("edge listening for connectors on") &&
            line.contains("over TLS (TLSv1.3)"), STARTUP_TIMEOUT_S), edge::output);
        final Child connector = start("connector", "--config", connectorFile.toString());

        assertTrue(edge.awaitLine(line -> line.contains("connector connected: tunnel 'office'"), STARTUP_TIMEOUT_S),
            edge::output);
        assertTrue(connector.awaitLine(line -> line.contains("connected to edge"), STARTUP_TIMEOUT_S),
            connector::output);
        assertTrue(connector.output().contains("over TLS, verifying against " + dir.resolve("pki/ca.crt")),
            connector::output);
        assertFalse(connector.output().contains("INSECURE"), connector::output);

        connector.sigterm();
        assertTrue(connector.process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS), connector::output);
        assertEquals(0, connector.process.exitValue(), connector::output);
        assertTrue(edge.awaitLine(line -> line.contains("connector disconnected: tunnel 'office'"),
            STARTUP_TIMEOUT_S), edge::output);

        edge.sigterm();
        assertTrue(edge.process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS), edge::output);
        assertEquals(0, edge.process.exitValue(), edge::output);

        edge.awaitEnd();
        connector.awaitEnd();
        assertTrue(edge.output().contains("SIGTERM: draining the edge"), edge::output);
        assertTrue(edge.output().contains("stopped"), edge::output);
        assertTrue(connector.output().contains("SIGTERM: draining the connector"), connector::output);
        assertTrue(edge.output().contains("listener /127.0.0.1:" + frontDoorPort), edge::output);
        for (final Child child : children)
        {
            assertFalse(child.output().contains(TOKEN), child::output);
            assertFalse(child.output().contains("SLF4J"), child::output);
        }
    }

    @Test
    void shouldExitWithUsageStatusAndOneLineNamingFileKeyAndLineOnABadFile() throws Exception
    {
        final Path edgeFile = Files.writeString(dir.resolve("edge.yaml"), String.join("\n",
            "edge:",
            "  tunnelListen: 127.0.0.1:" + freePort(),
            "  tunnels:",
            "    - id: office",
            "      token: ${OFFICE_TOKEN}",
            "  networks:",
            "    - name: office-net",
            "      tunnel: ofice",
            ""));

        final Child edge = start("edge", "--config", edgeFile.toString());

        assertTrue(edge.process.waitFor(STARTUP_TIMEOUT_S, TimeUnit.SECONDS), edge::output);
        assertEquals(WarrenMain.EXIT_USAGE, edge.process.exitValue(), edge::output);
        edge.awaitEnd();
        assertEquals(List.of("warren: " + edgeFile + ":8: edge.networks[0].tunnel: unknown tunnel 'ofice' " +
            "(known: office)"), edge.lines, edge::output);

        final Path tls = Files.writeString(dir.resolve("tls.yaml"), Files.readString(edgeFile)
            .replace("ofice", "office")
            .replace("  tunnels:", "  tls: {cert: edge.yaml, key: edge.yaml}\n  tunnels:"));
        final Child withTls = start("edge", "--config", tls.toString());
        assertTrue(withTls.process.waitFor(STARTUP_TIMEOUT_S, TimeUnit.SECONDS), withTls::output);
        assertEquals(WarrenMain.EXIT_USAGE, withTls.process.exitValue(), withTls::output);
        withTls.awaitEnd();
        assertEquals(List.of("warren: " + tls + ":3: edge.tls.cert: " + dir.resolve("edge.yaml").toAbsolutePath() +
            ": not a PEM file (no '-----BEGIN ...-----' / '-----END ...-----' block)"), withTls.lines, withTls::output);
    }

    private Child start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WarrenMain.class.getName());
        command.addAll(Arrays.asList(args));
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("OFFICE_TOKEN", TOKEN);
        final Child child = new Child(builder.start());
        children.add(child);
        return child;
    }

    private static List<String> jvmFlags() throws IOException
    {
        try (InputStream in = EdgeConnectorCommandTest.class.getResourceAsStream("/dev/warren/jvm.flags"))
        {
            final String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return Arrays.asList(flags.split("\\s+"));
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /** A child process and the lines of its stderr, read as they come. */
    private static final class Child
    {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Object changed = new Object();
        private final CountDownLatch ended = new CountDownLatch(1);

        Child(final Process process)
        {
            this.process = process;
            final Thread reader = new Thread(this::read, "stderr-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        private void read()
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); line != null; line = in.readLine())
                {
                    lines.add(line);
                    synchronized (changed)
                    {
                        changed.notifyAll();
                    }
                }
            }
            catch (final IOException ex)
            {
                lines.add("(stderr read failed: " + ex + ")");
            }
            finally
            {
                ended.countDown();
                synchronized (changed)
                {
                    changed.notifyAll();
                }
            }
        }

        boolean awaitLine(final Predicate<String> wanted, final long timeoutSeconds) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            synchronized (changed)
            {
                while (true)
                {
                    for (final String line : lines)
                    {
                        if (wanted.test(line))
                        {
                            return true;
                        }
                    }
                    final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (leftMs <= 0 || ended.getCount() == 0)
                    {
                        return false;
                    }
                    changed.wait(leftMs);
                }
            }
        }

        /**
         * SIGTERM, as {@link Process#destroy()} sends; through the process handle, because {@code Process.destroy}
         * also closes our end of the child's stderr, and the lines it logs while stopping are wanted.
         */
        void sigterm()
        {
            assertTrue(process.toHandle().destroy(), "cannot signal pid " + process.pid());
        }

        void awaitEnd() throws InterruptedException
        {
            assertTrue(ended.await(EXIT_TIMEOUT_S, TimeUnit.SECONDS), "stderr of the child did not end");
        }

        String output()
        {
            return "stderr of pid " + process.pid() + ":\n" + String.join("\n", lines);
        }
    }
}
