package dev.warren.api;

/**
 * Where an opened socket's private-host connection runs, as the connector sees it.
 *
 * @param remoteAddress the private host's address, {@code ip:port}.
 * @param localAddress  the connector's local address for that connection, {@code ip:port}.
 */
public record SocketInfo(String remoteAddress, String localAddress)
{
}
