/**
 * The public API for embedders: configuration values, {@link dev.warren.api.Edge} and
 * {@link dev.warren.api.Connector} handles, bindings and their {@code connect()}, and the error type.
 * Start an edge or a connector with {@link dev.warren.Warren}.
 * <p>
 * <b>Threading.</b> Every method may be called from any thread. Futures complete, and
 * {@link java.util.concurrent.Flow.Subscriber} callbacks run, on an engine event-loop thread: keep them short and
 * never block in them (hand blocking work to your own executor with the {@code ...Async} variants).
 */
package dev.warren.api;
