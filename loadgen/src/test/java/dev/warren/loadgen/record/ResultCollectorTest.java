package dev.warren.loadgen.record;

import dev.warren.loadgen.target.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ResultCollectorTest
{
    @Test
    void shouldMergeEveryLoopsRecordings()
    {
        final LoopRecorder first = new LoopRecorder();
        final LoopRecorder second = new LoopRecorder();
        final ResultCollector collector = new ResultCollector(new LoopRecorder[] {first, second});

        first.recordCompletion(0, 1_000_000, 2_000_000); // latency 2 ms, service 1 ms
        second.recordCompletion(0, 0, 500_000);
        collector.collect();
        second.recordCompletion(10_000, 10_000, 20_000);
        collector.collect();

        assertEquals(3, collector.latency().getTotalCount());
        assertEquals(3, collector.serviceTime().getTotalCount());
        assertEquals(2_000, collector.latency().getMaxValue(), 2);
        assertEquals(1_000, collector.serviceTime().getValueAtPercentile(100), 1);
        assertEquals(3, collector.sum(LoopRecorder.COMPLETED));
        assertEquals(2_000_000, collector.max(LoopRecorder.LAST_COMPLETION_NS));
    }

    @Test
    void shouldCountErrorsByKindAndKeepTheFirstDetail()
    {
        final LoopRecorder recorder = new LoopRecorder();
        final ResultCollector collector = new ResultCollector(new LoopRecorder[] {recorder});
        recorder.recordError(ErrorKind.TIMEOUT, "first", false);
        recorder.recordError(ErrorKind.TIMEOUT, "second", false);
        recorder.recordError(ErrorKind.RESET, "during warm-up", true);
        assertEquals(2, collector.sum(LoopRecorder.ERRORS + ErrorKind.TIMEOUT));
        assertEquals(2, collector.errors());
        assertEquals(1, collector.sum(LoopRecorder.WARMUP_ERRORS));
        assertEquals("first", collector.firstError(ErrorKind.TIMEOUT));
        assertNull(collector.firstError(ErrorKind.CONNECT));
    }

    @Test
    void shouldRecordMicrosecondsUpToSixtySeconds()
    {
        assertEquals(0, LatencyHistograms.toMicros(-5));
        assertEquals(1, LatencyHistograms.toMicros(1_999));
        assertEquals(TimeUnit.SECONDS.toMicros(60), LatencyHistograms.toMicros(TimeUnit.MINUTES.toNanos(5)));
        final LoopRecorder recorder = new LoopRecorder();
        recorder.recordCompletion(0, 0, TimeUnit.MINUTES.toNanos(5)); // clamped, not thrown
        final ResultCollector collector = new ResultCollector(new LoopRecorder[] {recorder});
        collector.collect();
        assertEquals(TimeUnit.SECONDS.toMicros(60), collector.latency().getMaxValue(), 60_000);
    }
}
