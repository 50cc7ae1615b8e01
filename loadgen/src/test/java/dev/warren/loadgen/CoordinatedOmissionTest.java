package dev.warren.loadgen;

import dev.warren.loadgen.report.JsonReport;
import dev.warren.loadgen.report.LoadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The correction for coordinated omission, end to end: a loopback echo server stops answering everyone for one second,
 * once, during a 10 s open-loop run at 1,000 req/s. Every request the stall delayed, sent late or not, must show the
 * delay in the latency (measured from its intended send time); the service time (from the actual send) shows it only
 * for the few requests that were on the wire when the stall began.
 */
class CoordinatedOmissionTest
{
    private static final long STALL_AFTER_NS = TimeUnit.SECONDS.toNanos(4);
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long HALF_A_SECOND_MICROS = 500_000;

    @Test
    void shouldShowAOneSecondStallInTheLatencyPercentilesButNotInTheServiceTime(@TempDir final Path folder)
        throws IOException
    {
        final Path json = folder.resolve("stall.json");
        final CommandRun run;
        try (LoopbackEchoServer server = LoopbackEchoServer.echoing())
        {
            server.stallOnceAfter(STALL_AFTER_NS, STALL_NS);
            run = CommandRun.of("tcp", "--rate", "1000", "--connections", "10", "--loops", "1", "--duration", "10s",
                "--warmup", "0", "--timeout", "5s", "--no-progress", "--json", json.toString(), server.address());
            assertTrue(server.stalledAtNs() != 0, "the server stalled");
        }
        System.out.println(run); // kept in target/surefire-reports/*-output.txt
        final LoadReport report = JsonReport.read(json);

        assertEquals(0, report.errorsTotal(), run::toString);
        assertEquals(10_000, report.requests(), 100, run::toString);
        // ~1,000 requests (10%) were delayed by 0..1 s: the top 1% by at least 0.9 s.
        final long latencyP99 = report.latency().getValueAtPercentile(99);
        assertTrue(latencyP99 >= HALF_A_SECOND_MICROS, "latency p99 " + latencyP99 + " µs\n" + run);
        // Only the 10 requests in flight when it began (0.1%) waited on the wire.
        final long serviceP99 = report.serviceTime().getValueAtPercentile(99);
        assertTrue(serviceP99 < HALF_A_SECOND_MICROS, "service time p99 " + serviceP99 + " µs\n" + run);
        assertTrue(report.serviceTime().getMaxValue() >= 900_000, "the requests on the wire saw the stall\n" + run);
        assertTrue(run.out().contains("  latency ") && run.out().contains("  service "), run::toString);
    }
}
