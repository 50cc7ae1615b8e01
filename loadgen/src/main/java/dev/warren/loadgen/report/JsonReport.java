package dev.warren.loadgen.report;

import dev.warren.loadgen.target.ErrorKind;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.JSONWire;
import net.openhft.chronicle.wire.ValueIn;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * {@code --json FILE}: the machine-readable report, written and read with Chronicle Wire's {@link JSONWire} (after
 * the run, never during it). One object:
 * <pre>
 * {"format":"warren-loadgen/1", "label":..., "mode":"tcp", "pattern":"echo", "size":64, "target":...,
 *  "connections":10, "loops":2, "targetRate":2000.0, "durationSeconds":5.0, "warmupSeconds":1.0,
 *  "startedAt":"2026-...Z", "requests":10000, "unsent":0, "achievedRate":2000.0, "bytesOut":..., "bytesIn":...,
 *  "errorsTotal":0, "errors":{"timeout":3,...}, "errorDetails":{"timeout":"..."}, "warmupErrors":0,
 *  "statuses":{"2xx":9990,"5xx":10} (http: responses by status class; empty for tcp),
 *  "latencyMs":{"p50":...,"p75":...,"p90":...,"p99":...,"p99.9":...,"p99.99":...,"max":...,"mean":...,"count":...},
 *  "serviceTimeMs":{...},
 *  "latencyHistogram":"HISTF...", "serviceTimeHistogram":"HISTF..."}
 * </pre>
 * Latencies are in milliseconds; the two histograms are HdrHistogram's compressed encoding in Base64 (microseconds),
 * from which {@code loadgen plot} redraws each run exactly. Stateless; thread-safe.
 */
public final class JsonReport
{
    public static final String FORMAT = "warren-loadgen/1";

    private JsonReport()
    {
    }

    public static void write(final LoadReport report, final Path file) throws IOException
    {
        Files.writeString(file, toJson(report) + "\n", StandardCharsets.UTF_8);
    }

    public static String toJson(final LoadReport report)
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(4096);
        try
        {
            final JSONWire wire = new JSONWire(bytes);
            wire.getValueOut().marshallable(out ->
            {
                out.write("format").text(FORMAT);
                out.write("label").text(report.label());
                out.write("mode").text(report.mode());
                out.write("pattern").text(report.pattern());
                out.write("size").int64(report.size());
                out.write("target").text(report.target());
                out.write("connections").int64(report.connections());
                out.write("loops").int64(report.loops());
                out.write("targetRate").float64(report.targetRate());
                out.write("durationSeconds").float64(report.durationSeconds());
                out.write("warmupSeconds").float64(report.warmupSeconds());
                out.write("startedAt").text(report.startedAt());
                out.write("requests").int64(report.requests());
                out.write("unsent").int64(report.unsent());
                out.write("achievedRate").float64(report.achievedRate());
                out.write("bytesOut").int64(report.bytesOut());
                out.write("bytesIn").int64(report.bytesIn());
                out.write("errorsTotal").int64(report.errorsTotal());
                out.write("errors").marshallable(errors ->
                {
                    for (final Map.Entry<String, Long> error : report.errors().entrySet())
                    {
                        errors.write(error.getKey()).int64(error.getValue());
                    }
                });
                out.write("errorDetails").marshallable(details ->
                {
                    for (final Map.Entry<String, String> detail : report.errorDetails().entrySet())
                    {
                        details.write(detail.getKey()).text(detail.getValue());
                    }
                });
                out.write("warmupErrors").int64(report.warmupErrors());
                out.write("statuses").marshallable(statuses ->
                {
                    for (final Map.Entry<String, Long> status : report.statuses().entrySet())
                    {
                        statuses.write(status.getKey()).int64(status.getValue());
                    }
                });
                out.write("latencyMs").marshallable(summary -> writeSummary(summary, report.latency()));
                out.write("serviceTimeMs").marshallable(summary -> writeSummary(summary, report.serviceTime()));
                out.write("latencyHistogram").text(encode(report.latency()));
                out.write("serviceTimeHistogram").text(encode(report.serviceTime()));
            });
            return bytes.toString();
        }
        finally
        {
            bytes.releaseLast();
        }
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws IOException when the file cannot be read or is not such a report (the message says which file).
     */
    public static LoadReport read(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        try
        {
            return fromJson(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
    }

    /** @throws IllegalArgumentException when {@code json} is not a loadgen report. */
    public static LoadReport fromJson(final String json)
    {
        final String trimmed = json.strip();
        if (!trimmed.startsWith("{"))
        {
            throw new IllegalArgumentException("not a JSON object");
        }
        final Bytes<?> bytes = Bytes.from(trimmed);
        try
        {
            final JSONWire wire = new JSONWire(bytes);
            final LoadReport[] result = new LoadReport[1];
            wire.getValueIn().marshallable(in -> result[0] = readReport(in));
            return result[0];
        }
        catch (final IllegalArgumentException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("not a warren loadgen report: " + ex.getMessage(), ex);
        }
        finally
        {
            bytes.releaseLast();
        }
    }

    private static LoadReport readReport(final WireIn in)
    {
        final String format = in.read("format").text();
        if (!FORMAT.equals(format))
        {
            throw new IllegalArgumentException("not a warren loadgen report (format is " +
                (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "')");
        }
        final Map<String, Long> errors = new LinkedHashMap<>();
        in.read("errors").marshallable(map ->
        {
            for (int kind = 0; kind < ErrorKind.COUNT; kind++)
            {
                final long count = map.read(ErrorKind.name(kind)).int64();
                if (count != 0)
                {
                    errors.put(ErrorKind.name(kind), count);
                }
            }
        });
        final Map<String, String> details = new LinkedHashMap<>();
        in.read("errorDetails").marshallable(map ->
        {
            for (int kind = 0; kind < ErrorKind.COUNT; kind++)
            {
                final String detail = map.read(ErrorKind.name(kind)).text();
                if (detail != null)
                {
                    details.put(ErrorKind.name(kind), detail);
                }
            }
        });
        final long warmupErrors = in.read("warmupErrors").int64();
        final Map<String, Long> statuses = new LinkedHashMap<>();
        in.read("statuses").marshallable(map ->
        {
            for (int c = 1; c <= 5; c++)
            {
                final long count = map.read(c + "xx").int64();
                if (count != 0)
                {
                    statuses.put(c + "xx", count);
                }
            }
        });
        return new LoadReport(
            text(in, "label"), text(in, "mode"), text(in, "pattern"), (int)in.read("size").int64(),
            text(in, "target"), (int)in.read("connections").int64(), (int)in.read("loops").int64(),
            in.read("targetRate").float64(), in.read("durationSeconds").float64(),
            in.read("warmupSeconds").float64(), text(in, "startedAt"), in.read("requests").int64(),
            in.read("unsent").int64(), in.read("achievedRate").float64(), in.read("bytesOut").int64(),
            in.read("bytesIn").int64(), errors, details, warmupErrors,
            decode(in.read("latencyHistogram"), "latencyHistogram"),
            decode(in.read("serviceTimeHistogram"), "serviceTimeHistogram"), statuses);
    }

    private static String text(final WireIn in, final String key)
    {
        final String value = in.read(key).text();
        return value == null ? "" : value;
    }

    private static void writeSummary(final WireOut out, final Histogram histogram)
    {
        for (int i = 0; i < SummaryPercentiles.count(); i++)
        {
            out.write(SummaryPercentiles.name(i)).float64(SummaryPercentiles.value(histogram, i) / 1000.0);
        }
        out.write("mean").float64(Math.round(histogram.getMean()) / 1000.0);
        out.write("count").int64(histogram.getTotalCount());
    }

    static String encode(final Histogram histogram)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final byte[] encoded = new byte[length];
        buffer.flip().get(encoded);
        return Base64.getEncoder().encodeToString(encoded);
    }

    static Histogram decode(final ValueIn value, final String key)
    {
        final String text = value.text();
        if (text == null || text.isEmpty())
        {
            throw new IllegalArgumentException(key + " is missing");
        }
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        }
        catch (final DataFormatException | RuntimeException ex)
        {
            throw new IllegalArgumentException(key + " is not an HdrHistogram: " + ex.getMessage(), ex);
        }
    }
}
