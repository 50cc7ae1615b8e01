/**
 * JMH micro-benchmarks of the engine's hot path, and {@link dev.warren.bench.BenchMain}, the runner that gives
 * every JMH fork the project's JVM flags. Results and the command that produced them: {@code docs/PERFORMANCE.md}.
 */
package dev.warren.bench;
