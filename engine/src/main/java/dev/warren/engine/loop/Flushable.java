package dev.warren.engine.loop;

/**
 * Something with output batched during a loop cycle, written once at the cycle's end: many frames produced by
 * one pass over the ready keys go out in one gathering write. Called on the loop's thread only.
 */
public interface Flushable
{
    void flush();
}
