package dev.warren.loadgen.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TextReportTest
{
    @Test
    void shouldSummariseTheRunWithBothLatencies()
    {
        final String text = print(SampleReports.sample("direct", 50));
        assertTrue(text.contains("p50"), text);
        assertTrue(text.contains("p99.99"), text);
        assertTrue(text.contains("max"), text);
        assertTrue(text.contains("  latency "), text);
        assertTrue(text.contains("  service "), text);
        assertTrue(text.contains("open loop at 1000 req/s"), text);
        assertTrue(text.contains("10000 completed, 999.5 req/s (100.0% of the target; 10000 expected), 3 never sent"),
            text);
        assertTrue(text.contains("errors    2 (timeout 2); 1 during the warm-up, not counted"), text);
        assertTrue(text.contains("first timeout: no response within 10000 ms"), text);
    }

    @Test
    void shouldWriteTheStandardPercentileDistribution()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HgrmReport.write(SampleReports.sample("direct", 50), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String hgrm = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(hgrm.contains("Value     Percentile TotalCount 1/(1-Percentile)"), hgrm);
        assertTrue(hgrm.contains("#[Max     =      999.423, Total count    =        10000]"), hgrm);
    }

    private static String print(final LoadReport report)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextReport.write(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
