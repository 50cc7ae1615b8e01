package dev.warren.loadgen.target;

/**
 * What the targets reached through a binding share: a description for reports, and the embedded edge they own and
 * stop when the run is over. Immutable; thread-safe.
 */
abstract class BindingTarget implements Target
{
    private final String description;
    private final AutoCloseable owned;

    /**
     * @param description for reports.
     * @param owned       closed with the target (the embedded edge); null for none.
     */
    BindingTarget(final String description, final AutoCloseable owned)
    {
        this.description = description;
        this.owned = owned;
    }

    @Override
    public final String describe()
    {
        return description;
    }

    @Override
    public final void close()
    {
        if (owned != null)
        {
            try
            {
                owned.close();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("cannot stop " + description + ": " + ex.getMessage(), ex);
            }
        }
    }
}
