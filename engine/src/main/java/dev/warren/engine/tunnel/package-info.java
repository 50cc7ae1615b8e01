/**
 * The tunnel state machine of {@code docs/PROTOCOL.md}: a {@link dev.warren.engine.tunnel.TunnelConnection} per
 * TCP connection between edge and connector, the {@link dev.warren.engine.tunnel.TunnelStream}s multiplexed on it,
 * and their credit windows. A connection and all its streams live on one event loop.
 */
package dev.warren.engine.tunnel;
