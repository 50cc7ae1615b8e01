/**
 * When requests are meant to go out: {@link dev.warren.loadgen.schedule.OpenLoopSchedule} (a constant rate, every
 * intended time fixed in advance) or {@link dev.warren.loadgen.schedule.ClosedLoopSchedule}; the per-loop
 * {@link dev.warren.loadgen.schedule.DueQueue} of connections waiting for their time; and the
 * {@link dev.warren.loadgen.schedule.Pacer} thread that wakes a loop when the earliest of them comes, with
 * microsecond precision the engine's timer wheel does not have.
 */
package dev.warren.loadgen.schedule;
