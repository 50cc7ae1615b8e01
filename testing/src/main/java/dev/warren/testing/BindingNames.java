package dev.warren.testing;

import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The binding names a {@link WarrenTest} class declares, and which one a {@code VpcNetwork} or {@code VpcService}
 * parameter gets. A parameter that cannot be resolved fails with a message that names the parameter, the
 * {@link Binding} it asked for, what the class declares of each kind, and the nearest declared name when the asked one
 * looks like a typo of it. Immutable.
 */
final class BindingNames
{
    /** The two kinds of binding a parameter can ask for. */
    enum Kind
    {
        NETWORK("VPC Network", "VpcNetwork", "networks = {\"name\"}"),
        SERVICE("VPC Service", "VpcService", "services = @Service(name = \"name\", httpPort = ...)");

        private final String title;
        private final String type;
        private final String declaration;

        Kind(final String title, final String type, final String declaration)
        {
            this.title = title;
            this.type = type;
            this.declaration = declaration;
        }
    }

    private final String testClass;
    private final List<String> networks;
    private final List<String> services;

    BindingNames(final Class<?> testClass, final List<String> networks, final List<String> services)
    {
        this.testClass = testClass.getSimpleName();
        this.networks = List.copyOf(networks);
        this.services = List.copyOf(services);
    }

    List<String> networks()
    {
        return networks;
    }

    List<String> services()
    {
        return services;
    }

    /**
     * The name of the binding of {@code kind} the parameter receives: its {@link Binding}, or the only one of that
     * kind.
     *
     * @throws ParameterResolutionException when there is no such binding, or several and no {@code @Binding}.
     */
    String resolve(final Kind kind, final ParameterContext parameter)
    {
        final List<String> ofKind = names(kind);
        final Optional<Binding> binding = parameter.findAnnotation(Binding.class);
        if (binding.isPresent())
        {
            final String name = binding.get().value();
            if (ofKind.contains(name))
            {
                return name;
            }
            throw new ParameterResolutionException(misnamed(kind, name, describe(parameter)));
        }
        if (ofKind.size() == 1)
        {
            return ofKind.get(0);
        }
        if (ofKind.isEmpty())
        {
            throw new ParameterResolutionException(describe(parameter) + " is a " + kind.type + ", but @WarrenTest on "
                + testClass + " declares no " + kind.title + "s; add " + kind.declaration + declared());
        }
        throw new ParameterResolutionException(describe(parameter) + " needs @Binding(\"name\"): @WarrenTest on "
            + testClass + " declares several " + kind.title + "s " + ofKind);
    }

    private String misnamed(final Kind kind, final String name, final String parameter)
    {
        final StringBuilder message = new StringBuilder()
            .append("@Binding(\"").append(name).append("\") on ").append(parameter).append(": ");
        final Kind other = kind == Kind.NETWORK ? Kind.SERVICE : Kind.NETWORK;
        if (names(other).contains(name))
        {
            message.append('\'').append(name).append("' is a ").append(other.title).append(", so the parameter must "
                + "be a ").append(other.type).append(", not a ").append(kind.type);
        }
        else
        {
            message.append("@WarrenTest on ").append(testClass).append(" declares no ").append(kind.title)
                .append(" named '").append(name).append('\'');
        }
        message.append(declared());
        nearest(name, names(kind)).ifPresent(
            near -> message.append(". Did you mean @Binding(\"").append(near).append("\")?"));
        return message.toString();
    }

    private String declared()
    {
        return ". Declared: networks " + networks + ", services " + services;
    }

    private List<String> names(final Kind kind)
    {
        return kind == Kind.NETWORK ? networks : services;
    }

    /** "parameter 'net' of EchoTest.echoes(VpcNetwork)", or "parameter 0 of ..." when compiled without names. */
    private static String describe(final ParameterContext context)
    {
        final Parameter parameter = context.getParameter();
        final Executable executable = context.getDeclaringExecutable();
        final StringBuilder text = new StringBuilder("parameter ")
            .append(parameter.isNamePresent() ? "'" + parameter.getName() + "'" : String.valueOf(context.getIndex()))
            .append(" of ").append(executable.getDeclaringClass().getSimpleName());
        if (!(executable instanceof Constructor))
        {
            text.append('.').append(executable.getName());
        }
        text.append('(');
        final Class<?>[] types = executable.getParameterTypes();
        for (int i = 0; i < types.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }

    /** The declared name closest to {@code name} when it is within a typo's distance (case and transpositions too). */
    static Optional<String> nearest(final String name, final List<String> declared)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : declared)
        {
            final int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance < best.length() && bestDistance <= Math.max(1, best.length() / 4) ?
            Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    private static int distance(final String a, final String b)
    {
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
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
