package dev.warren.loadgen.report;

import dev.warren.loadgen.record.LatencyHistograms;
import org.HdrHistogram.Histogram;

import java.util.Map;

/** Reports made up for the report tests. */
final class SampleReports
{
    private SampleReports()
    {
    }

    /** 10,000 requests from {@code baseMicros} up, one stalled second in the latency, none in the service time. */
    static LoadReport sample(final String label, final long baseMicros)
    {
        final Histogram latency = LatencyHistograms.newHistogram();
        final Histogram service = LatencyHistograms.newHistogram();
        for (int i = 0; i < 10_000; i++)
        {
            service.recordValue(baseMicros + i % 50);
            latency.recordValue(i < 9_000 ? baseMicros + i % 50 : baseMicros + (i - 9_000) * 1_000L);
        }
        return new LoadReport(label, "tcp", "echo", 64, "127.0.0.1:7000 (direct)", 10, 2, 1000.0, 10.0, 1.0,
            "2026-01-02T03:04:05.678Z", 10_000, 3, 999.5, 640_000, 640_000,
            Map.of("timeout", 2L), Map.of("timeout", "no response within 10000 ms"), 1, latency, service);
    }
}
