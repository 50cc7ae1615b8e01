package dev.warren.loadgen.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReportTest
{
    @Test
    void shouldReadBackWhatItWrote(@TempDir final Path folder) throws IOException
    {
        final LoadReport report = SampleReports.sample("direct \"quoted\" <run>", 50);
        final Path file = folder.resolve("run.json");
        JsonReport.write(report, file);
        final LoadReport read = JsonReport.read(file);

        assertEquals(report.label(), read.label());
        assertEquals(report.target(), read.target());
        assertEquals(report.targetRate(), read.targetRate());
        assertEquals(report.requests(), read.requests());
        assertEquals(report.unsent(), read.unsent());
        assertEquals(report.achievedRate(), read.achievedRate());
        assertEquals(report.startedAt(), read.startedAt());
        assertEquals(Map.of("timeout", 2L), read.errors());
        assertEquals(report.errorDetails(), read.errorDetails());
        assertEquals(report.warmupErrors(), read.warmupErrors());
        assertEquals(report.latency(), read.latency());
        assertEquals(report.serviceTime(), read.serviceTime());
    }

    @Test
    void shouldCarryThePercentilesInMilliseconds()
    {
        final String json = JsonReport.toJson(SampleReports.sample("run", 50));
        assertTrue(json.startsWith("{\"format\":\"warren-loadgen/1\""), json);
        assertTrue(json.contains("\"latencyMs\":{\"p50\":"), json);
        assertTrue(json.contains("\"p99.99\":"), json);
        assertTrue(json.contains("\"serviceTimeMs\":{"), json);
        assertTrue(json.contains("\"errors\":{\"timeout\":2}"), json);
    }

    @Test
    void shouldRefuseWhatIsNotAReport(@TempDir final Path folder) throws IOException
    {
        final Path other = Files.writeString(folder.resolve("other.json"), "{\"format\":\"something\",\"a\":1}");
        final IOException ex = assertThrows(IOException.class, () -> JsonReport.read(other));
        assertTrue(ex.getMessage().contains("not a warren loadgen report"), ex.getMessage());
        final Path notJson = Files.writeString(folder.resolve("x.json"), "hello");
        assertThrows(IOException.class, () -> JsonReport.read(notJson));
    }
}
