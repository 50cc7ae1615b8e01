/**
 * Drives the load: a {@link dev.warren.loadgen.drive.LoadRun} starts the engine's event loops, places connections on
 * them ({@code LoadLoop}, {@code LoadConnection}: one request outstanding per connection, nothing allocated per
 * request), begins the schedule, and turns what was recorded into a {@link dev.warren.loadgen.report.LoadReport}.
 */
package dev.warren.loadgen.drive;
