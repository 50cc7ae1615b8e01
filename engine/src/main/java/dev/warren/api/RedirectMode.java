package dev.warren.api;

/** What {@code fetch()} does with a 3xx response that has a {@code Location} (SPEC §3). */
public enum RedirectMode
{
    /** Follow it through the same binding, at most 20 hops (the default). */
    FOLLOW,
    /** Return the 3xx response as it is. */
    MANUAL,
    /** Fail with {@code request_invalid}. */
    ERROR
}
