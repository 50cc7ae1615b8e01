package dev.warren.testing;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.VpcNetwork;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Optional;

/**
 * The extension behind {@link WarrenTest}: starts the class's {@link WarrenEnvironment} in {@code beforeAll} (or
 * earlier, when a constructor of a {@code PER_CLASS} test asks for a parameter) and resolves {@link Edge},
 * {@link Connector} and {@link VpcNetwork} parameters from it. Register it through {@code @WarrenTest}.
 */
public final class WarrenExtension implements BeforeAllCallback, ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WarrenExtension.class);
    private static final String KEY = "environment";

    @Override
    public void beforeAll(final ExtensionContext context)
    {
        environment(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        final Class<?> type = parameterContext.getParameter().getType();
        return (type == Edge.class || type == Connector.class || type == VpcNetwork.class)
            && owner(extensionContext).isPresent();
    }

    @Override
    public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        final WarrenEnvironment env = environment(extensionContext);
        final Class<?> type = parameterContext.getParameter().getType();
        if (type == Edge.class)
        {
            return env.edge();
        }
        if (type == Connector.class)
        {
            return env.connector();
        }
        final Optional<Binding> binding = parameterContext.findAnnotation(Binding.class);
        final String name;
        if (binding.isPresent())
        {
            name = binding.get().value();
            if (!env.networks().contains(name))
            {
                throw new ParameterResolutionException("no binding '" + name + "'; known: " + env.networks());
            }
        }
        else if (env.networks().size() == 1)
        {
            name = env.networks().get(0);
        }
        else if (env.networks().isEmpty())
        {
            throw new ParameterResolutionException("no binding for parameter '" + parameterContext.getParameter()
                + "': @WarrenTest declares no networks; add networks = {\"...\"}");
        }
        else
        {
            throw new ParameterResolutionException("parameter '" + parameterContext.getParameter()
                + "' needs @Binding(\"name\"); known: " + env.networks());
        }
        return env.edge().network(name);
    }

    /** The class's environment, started on first use and closed with the owning class's context. */
    private static WarrenEnvironment environment(final ExtensionContext context)
    {
        final ExtensionContext owner = owner(context).orElseThrow(() -> new ParameterResolutionException(
            "WarrenExtension needs @WarrenTest on the test class (" + context.getDisplayName() + ")"));
        final WarrenTest settings = owner.getRequiredTestClass().getAnnotation(WarrenTest.class);
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> WarrenEnvironment.start(settings),
            WarrenEnvironment.class);
    }

    /** The outermost class-level context whose class carries {@link WarrenTest} (nested classes share it). */
    private static Optional<ExtensionContext> owner(final ExtensionContext context)
    {
        Optional<ExtensionContext> owner = Optional.empty();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent())
        {
            final ExtensionContext candidate = c.get();
            if (candidate.getTestMethod().isEmpty() && candidate.getTestClass().isPresent()
                && candidate.getTestClass().get().isAnnotationPresent(WarrenTest.class))
            {
                owner = Optional.of(candidate);
            }
        }
        return owner;
    }
}
