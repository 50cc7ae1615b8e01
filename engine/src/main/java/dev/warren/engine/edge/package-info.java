/**
 * The edge: accepts and authenticates connector connections, keeps the registry of live connections per tunnel,
 * and serves bindings by opening streams on them.
 */
package dev.warren.engine.edge;
