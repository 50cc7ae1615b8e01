/**
 * {@code warren loadgen}: an open-loop, coordinated-omission-correct load generator for private hosts, and its
 * command line ({@link dev.warren.loadgen.LoadgenCommand}).
 * <p>
 * The parts, one package each: {@code target} (where the load goes: a server straight over TCP, or a binding's
 * {@code connect()} through an embedded edge), {@code schedule} (when each request is meant to go: open loop at a
 * constant rate, or closed loop), {@code drive} (connections on the engine's event loops, no thread per connection,
 * no blocking I/O), {@code record} (HdrHistogram recorders, one per loop, merged) and {@code report} (text, .hgrm,
 * JSON, HTML).
 * <p>
 * The measurement follows wrk2: in an open loop each request has an intended send time fixed in advance; latency is
 * measured from it, so a stall of the server shows in every request it delayed, including those that could not
 * even be sent. The service time, measured from the actual send (what a closed-loop tool would report), is recorded
 * beside it for contrast.
 */
package dev.warren.loadgen;
