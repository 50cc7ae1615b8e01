/**
 * What a run measures: a {@link dev.warren.loadgen.record.LoopRecorder} per event loop (two HdrHistogram
 * single-writer recorders, latency from the intended send time and service time from the actual one, microseconds up
 * to 60 s, and counters), merged by the {@link dev.warren.loadgen.record.ResultCollector} on the run's own thread.
 */
package dev.warren.loadgen.record;
