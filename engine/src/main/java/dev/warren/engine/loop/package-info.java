/**
 * The event loop: one thread, one {@link java.nio.channels.Selector}, an MPSC command queue, a timer wheel and a
 * pool of direct buffers. Everything a loop owns is touched only by its thread; other threads talk to it by
 * {@link dev.warren.engine.loop.EventLoop#execute(Runnable) offering commands}.
 */
package dev.warren.engine.loop;
