/**
 * The outcome of a run, {@link dev.warren.loadgen.report.LoadReport}, and its forms: the summary on the terminal
 * ({@link dev.warren.loadgen.report.TextReport}), the live line ({@link dev.warren.loadgen.report.ProgressLine}),
 * HdrHistogram's percentile distribution ({@link dev.warren.loadgen.report.HgrmReport}), JSON written and read with
 * Chronicle Wire ({@link dev.warren.loadgen.report.JsonReport}), and a self-contained HTML page with the latency by
 * percentile of one or several runs ({@link dev.warren.loadgen.report.HtmlReport}).
 */
package dev.warren.loadgen.report;
