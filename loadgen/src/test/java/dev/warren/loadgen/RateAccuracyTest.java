package dev.warren.loadgen;

import dev.warren.loadgen.report.JsonReport;
import dev.warren.loadgen.report.LoadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The open loop's pacing, end to end: 2,000 req/s for 5 s against a fast loopback echo server. */
class RateAccuracyTest
{
    private static final int SIZE = 64;

    @Test
    void shouldAchieveTheTargetRateAndCountWithinOnePercent(@TempDir final Path folder) throws IOException
    {
        final Path json = folder.resolve("rate.json");
        final CommandRun run;
        final long bytesAtServer;
        try (LoopbackEchoServer server = LoopbackEchoServer.echoing())
        {
            run = CommandRun.of("tcp", "--rate", "2000", "--connections", "10", "--duration", "5s", "--warmup",
                "500ms", "--size", Integer.toString(SIZE), "--no-progress", "--json", json.toString(),
                server.address());
            bytesAtServer = server.bytesReceived();
        }
        System.out.println(run); // kept in target/surefire-reports/*-output.txt
        final LoadReport report = JsonReport.read(json);

        assertEquals(0, run.status(), run::toString);
        assertEquals(0, report.errorsTotal(), run::toString);
        assertEquals(2_000, report.achievedRate(), 20, run::toString);
        assertEquals(10_000, report.requests(), 100, run::toString);
        assertEquals(10_000L * SIZE, report.bytesOut(), 100.0 * SIZE, run::toString);
        // What the server saw, independently: the warm-up's 1,000 requests and the window's 10,000.
        assertEquals(11_000L * SIZE, bytesAtServer, 110.0 * SIZE, run::toString);
    }
}
