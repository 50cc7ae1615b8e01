package dev.warren.api;

/** What a VPC Service carries (SPEC §2). */
public enum ServiceType
{
    /** HTTP to a fixed host: {@code fetch()}, on {@code httpPort} and/or {@code httpsPort}. */
    HTTP,
    /** TCP to a fixed host and {@code tcpPort}: {@code connect()}. */
    TCP
}
