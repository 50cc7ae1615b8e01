/**
 * Where the load goes. A {@link dev.warren.loadgen.target.Target} makes one
 * {@link dev.warren.loadgen.target.Transport} per connection attempt and tells its
 * {@link dev.warren.loadgen.target.TransportHandler} what happened, always on the connection's event loop:
 * {@link dev.warren.loadgen.target.DirectTcpTarget} with non-blocking sockets registered on that loop, and
 * {@link dev.warren.loadgen.target.TunnelTarget} with tunnel streams whose callbacks (on the edge's loops) are handed
 * over to it. Errors are values: each is one {@link dev.warren.loadgen.target.ErrorKind}, counted, never thrown.
 */
package dev.warren.loadgen.target;
