/**
 * The connector: dials out to the edge, keeps {@code haConnections} tunnel connections up, checks its allow-list
 * and relays each stream to a private host's socket on the loop that owns the tunnel connection.
 */
package dev.warren.engine.connector;
