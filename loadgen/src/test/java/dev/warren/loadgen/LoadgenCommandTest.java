package dev.warren.loadgen;

import dev.warren.loadgen.report.JsonReport;
import dev.warren.loadgen.report.LoadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadgenCommandTest
{
    @Test
    void shouldPrintTheUsage()
    {
        for (final String[] args : new String[][] {{"--help"}, {"loadgen", "--help"}, {"tcp", "--help"},
            {"plot", "-h"}})
        {
            final CommandRun run = CommandRun.of(args);
            assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
            assertTrue(run.out().contains("usage: warren loadgen tcp [options] HOST:PORT"), run::toString);
            assertTrue(run.out().contains("warren loadgen plot"), run::toString);
        }
    }

    static Stream<Arguments> wrongCommandLines()
    {
        return Stream.of(
            Arguments.of(new String[] {}, "give a mode"),
            Arguments.of(new String[] {"udp"}, "unknown mode 'udp'"),
            Arguments.of(new String[] {"http", "127.0.0.1:80"}, "an absolute http URL expected"),
            Arguments.of(new String[] {"--rate", "5"}, "give a mode (tcp, http) or plot before the options"),
            Arguments.of(new String[] {"tcp"}, "give the server as HOST:PORT"),
            Arguments.of(new String[] {"tcp", "localhost"}, "HOST:PORT expected"),
            Arguments.of(new String[] {"tcp", "::1:80"}, "IPv6 address goes in brackets"),
            Arguments.of(new String[] {"tcp", "a:1", "b:2"}, "one HOST:PORT only"),
            Arguments.of(new String[] {"tcp", "--bogus", "a:1"}, "unknown option '--bogus'"),
            Arguments.of(new String[] {"tcp", "--rate", "0", "a:1"}, "'--rate' must be positive"),
            Arguments.of(new String[] {"tcp", "--rate", "fast", "a:1"}, "'--rate' needs a number"),
            Arguments.of(new String[] {"tcp", "--duration", "10x", "a:1"}, "'--duration' needs a duration"),
            Arguments.of(new String[] {"tcp", "--size", "0", "a:1"}, "'--size' must be 1.."),
            Arguments.of(new String[] {"tcp", "--connections", "2", "--loops", "3", "a:1"},
                "--loops 3 is more than --connections 2"),
            Arguments.of(new String[] {"tcp", "a:1", "--rate"}, "'--rate' needs a value"),
            Arguments.of(new String[] {"tcp", "--echo", "--bulk", "a:1"}, "--echo or --bulk, not both"),
            Arguments.of(new String[] {"tcp", "--progress=yes", "a:1"}, "'--progress' takes no value"),
            Arguments.of(new String[] {"tcp", "--binding", "net", "a:1"}, "--binding needs --via"),
            Arguments.of(new String[] {"tcp", "--via", "edge.yaml", "a:1"}, "--via needs --binding"),
            Arguments.of(new String[] {"plot", "a.json"}, "-o FILE.html"),
            Arguments.of(new String[] {"plot", "-o", "x.html"}, "one or more JSON reports"));
    }

    @ParameterizedTest
    @MethodSource("wrongCommandLines")
    void shouldRefuseAWrongCommandLineWithStatusTwo(final String[] args, final String message)
    {
        final CommandRun run = CommandRun.of(args);
        assertEquals(LoadgenCommand.EXIT_USAGE, run.status(), run::toString);
        assertTrue(run.err().contains(message), run::toString);
        assertTrue(run.err().contains("'warren loadgen --help' lists the options"), run::toString);
    }

    @Test
    void shouldParseDurationsAndSizes()
    {
        assertEquals(10_000_000_000L, ArgumentCursor.parseDuration("10"));
        assertEquals(10_000_000_000L, ArgumentCursor.parseDuration("10s"));
        assertEquals(1_500_000_000L, ArgumentCursor.parseDuration("1.5s"));
        assertEquals(500_000_000L, ArgumentCursor.parseDuration("500ms"));
        assertEquals(250_000L, ArgumentCursor.parseDuration("250us"));
        assertEquals(120_000_000_000L, ArgumentCursor.parseDuration("2m"));
        assertEquals(-1, ArgumentCursor.parseDuration("10d"));
        assertEquals(-1, ArgumentCursor.parseDuration("-1s"));
        assertEquals(-1, ArgumentCursor.parseDuration("NaN"));
    }

    @Test
    void shouldRunAClosedLoopAndWriteEveryReport(@TempDir final Path folder) throws IOException
    {
        final Path hgrm = folder.resolve("run.hgrm");
        final Path json = folder.resolve("run.json");
        final Path html = folder.resolve("run.html");
        final CommandRun run;
        try (LoopbackEchoServer server = LoopbackEchoServer.echoing())
        {
            run = CommandRun.of("loadgen", "tcp", "-c", "4", "-t", "2", "-d", "300ms", "-w", "100ms", "-s", "1k",
                "--label", "closed <loop>", "--hgrm", hgrm.toString(), "--json", json.toString(), "--html",
                html.toString(), "--progress", server.address());
        }
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        assertTrue(run.out().contains("closed loop (as fast as each connection can), 4 connections on 2 event loops, " +
            "1024 B per request"), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals("closed <loop>", report.label());
        assertTrue(report.requests() > 10, run::toString);
        assertEquals(report.requests() * 1024, report.bytesIn(), 4 * 1024, run::toString);
        assertEquals(report.latency(), report.serviceTime(), "a closed loop sends at the intended time");
        assertTrue(Files.readString(hgrm).contains("1/(1-Percentile)"));
        assertTrue(Files.readString(html).contains("closed &lt;loop&gt;"));
    }

    @Test
    void shouldPrintALiveLineEachSecondWhenAsked()
    {
        final CommandRun run;
        try (LoopbackEchoServer server = LoopbackEchoServer.echoing())
        {
            run = CommandRun.of("tcp", "-R", "200", "-c", "2", "-d", "1200ms", "-w", "0", "--progress",
                server.address());
        }
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        assertTrue(run.err().contains("loadgen    1s  rate "), run::toString);
        assertTrue(run.err().contains("(target 200)  errors 0  p50 "), run::toString);
        assertTrue(CommandRun.of("tcp", "--help").err().isEmpty());
    }

    @Test
    void shouldSendBulkToAServerThatOnlyReads()
    {
        final CommandRun run;
        final long received;
        try (LoopbackEchoServer server = LoopbackEchoServer.discarding())
        {
            run = CommandRun.of("tcp", "--bulk", "-s", "16k", "-c", "2", "-t", "1", "-d", "300ms", "-w", "0",
                server.address());
            received = server.bytesReceived();
        }
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        assertTrue(run.out().contains("tcp bulk"), run::toString);
        assertTrue(received > 1024 * 1024, "the server got " + received + " bytes\n" + run);
    }

    @Test
    void shouldSendBulkAtARate(@TempDir final Path folder) throws IOException
    {
        final Path json = folder.resolve("bulk.json");
        final CommandRun run;
        try (LoopbackEchoServer server = LoopbackEchoServer.discarding())
        {
            // 2 s, not less: the achieved rate counts up to the last completion, so on a loaded machine a late last
            // request in a short window alone crossed the 1% line (a 8 ms tail in 400 ms)
            run = CommandRun.of("tcp", "--bulk", "-R", "500", "-s", "1k", "-c", "2", "-d", "2s", "-w", "100ms",
                "--json", json.toString(), server.address());
        }
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals(1000, report.requests(), 5, run::toString);
        assertEquals(1000 * 1024, report.bytesOut(), 5 * 1024, run::toString);
    }

    @Test
    void shouldReconnectWhenTheServerClosesAConnection(@TempDir final Path folder) throws IOException
    {
        final Path json = folder.resolve("closed.json");
        final CommandRun run;
        final long accepted;
        try (LoopbackEchoServer server = LoopbackEchoServer.echoing().closeEachConnectionAfter(64 * 40))
        {
            run = CommandRun.of("tcp", "-R", "400", "-c", "2", "-d", "600ms", "-w", "0", "--max-errors", "100",
                "--json", json.toString(), server.address());
            accepted = server.connectionsAccepted();
        }
        final LoadReport report = JsonReport.read(json);
        assertTrue(report.errors().getOrDefault("closed", 0L) >= 2, run::toString);
        assertTrue(accepted >= 4, "connections accepted: " + accepted + "\n" + run);
        assertTrue(report.requests() > 100, run::toString);
        assertTrue(report.unsent() + report.requests() + report.errorsTotal() >= 235, run::toString);
    }

    @Test
    void shouldSayWhenNoConnectionCanBeOpened()
    {
        final String address;
        try (LoopbackEchoServer server = LoopbackEchoServer.echoing())
        {
            address = server.address();
        }
        final CommandRun run = CommandRun.of("tcp", "-c", "2", "-d", "1s", address);
        assertEquals(LoadgenCommand.EXIT_FAILED, run.status(), run::toString);
        assertTrue(run.err().contains("no connection could be opened: connect: "), run::toString);
        assertTrue(run.err().contains(address), run::toString);
    }

    @Test
    void shouldCountTimeoutsAndFailOnTooManyErrors(@TempDir final Path folder) throws IOException
    {
        final Path json = folder.resolve("timeouts.json");
        final CommandRun run;
        try (LoopbackEchoServer server = LoopbackEchoServer.discarding()) // never answers a request
        {
            run = CommandRun.of("tcp", "-R", "20", "-c", "2", "-d", "600ms", "-w", "0", "--timeout", "100ms",
                "--max-errors", "1", "--json", json.toString(), server.address());
        }
        assertEquals(LoadgenCommand.EXIT_FAILED, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertTrue(report.errors().getOrDefault("timeout", 0L) >= 2, run::toString);
        assertTrue(report.errorDetails().get("timeout").contains("no response within 100 ms"), run::toString);
        assertTrue(run.err().contains("more than --max-errors 1"), run::toString);
        assertTrue(run.err().contains("below the target"), run::toString);
    }

    @Test
    void shouldOverlaySavedRunsOnOnePage(@TempDir final Path folder) throws IOException
    {
        final Path first = folder.resolve("first.json");
        final Path second = folder.resolve("second.json");
        try (LoopbackEchoServer server = LoopbackEchoServer.echoing())
        {
            assertEquals(0, CommandRun.of("tcp", "-c", "1", "-d", "200ms", "-w", "0", "--label", "first run",
                "--json", first.toString(), server.address()).status());
            assertEquals(0, CommandRun.of("tcp", "-c", "2", "-d", "200ms", "-w", "0", "--label", "second run",
                "--json", second.toString(), server.address()).status());
        }
        final Path page = folder.resolve("compare.html");
        final CommandRun plot = CommandRun.of("plot", first.toString(), second.toString(), "-o", page.toString());
        assertEquals(LoadgenCommand.EXIT_OK, plot.status(), plot::toString);
        final String html = Files.readString(page);
        assertTrue(html.contains(">first run</text>") && html.contains(">second run</text>"));
        assertTrue(html.contains("<title>latency by percentile: first run vs second run</title>"));

        final CommandRun missing = CommandRun.of("plot", folder.resolve("nope.json").toString(), "-o",
            page.toString());
        assertEquals(LoadgenCommand.EXIT_FAILED, missing.status(), missing::toString);
        assertTrue(missing.err().contains("cannot read"), missing::toString);
    }
}
