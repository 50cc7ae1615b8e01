package dev.warren.engine.config;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" for a mistyped key or value: the known word nearest to what was written, when it is near enough
 * to be a typo. Words are compared ignoring case, {@code _} and {@code -}, by optimal string alignment distance
 * (insertions, deletions, substitutions and swaps of neighbours). Stateless; thread-safe.
 */
final class KeySuggestions
{
    private KeySuggestions()
    {
    }

    /** The known word nearest to {@code written}, or null when none is near enough to be a typo. */
    static String nearest(final String written, final Collection<String> known)
    {
        final String normalised = normalise(written);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = distance(normalised, normalise(candidate));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null)
        {
            return null;
        }
        final int allowed = Math.max(1, Math.min(3, best.length() / 4));
        return bestDistance <= allowed ? best : null;
    }

    /** " (did you mean 'x'?)" or, with no near word, " (expected one of: a, b, c)". */
    static String hint(final String written, final Collection<String> known)
    {
        final String nearest = nearest(written, known);
        if (nearest != null)
        {
            return " (did you mean '" + nearest + "'?)";
        }
        return " (expected one of: " + String.join(", ", known) + ")";
    }

    private static String normalise(final String word)
    {
        final StringBuilder normalised = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++)
        {
            final char c = word.charAt(i);
            if (c != '_' && c != '-')
            {
                normalised.append(c);
            }
        }
        return normalised.toString().toLowerCase(Locale.ROOT);
    }

    private static int distance(final String a, final String b)
    {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64 || b.length() > 64)
        {
            return Integer.MAX_VALUE;
        }
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    value = Math.min(value, d[i - 2][j - 2] + 1);
                }
                d[i][j] = value;
            }
        }
        return d[a.length()][b.length()];
    }
}
