/**
 * The {@code warren} command line: {@link dev.warren.cli.WarrenMain} parses the command. {@code warren edge} and
 * {@code warren connector} run one side of the tunnel from a YAML file (loaded by
 * {@link dev.warren.engine.config.ConfigLoader}) until SIGTERM, and {@code warren demo} runs the whole topology in
 * one process (a private echo service, an edge and a connector on loopback), shows {@code connect()} working, then
 * compares round trips and bulk throughput through the tunnel with the same load sent directly.
 * <p>
 * <b>Threading.</b> Commands run on the caller's thread; {@code edge} and {@code connector} park it on a
 * {@link dev.warren.cli.TerminationBarrier} until a signal, then close on it. Load through the tunnel is driven by
 * engine callbacks (write futures and readable subscribers) on the engine's event loops, never blocking there;
 * direct load runs on one selector thread of its own. Each class states its own contract.
 */
package dev.warren.cli;
