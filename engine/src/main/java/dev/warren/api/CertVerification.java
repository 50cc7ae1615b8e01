package dev.warren.api;

/** How the connector verifies a private host's certificate when it originates TLS (SPEC §2). */
public enum CertVerification
{
    /** Chain and host name (the default). */
    VERIFY_FULL,
    /** Chain only. */
    VERIFY_CA,
    /** Nothing: any certificate is accepted. */
    DISABLED
}
