/** Address syntax shared by the edge and the connector: {@code host:port}, IP literals, CIDR ranges. */
package dev.warren.engine.net;
