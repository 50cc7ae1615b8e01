package dev.warren.testing;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.VpcNetwork;
import dev.warren.api.VpcService;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Optional;

/**
 * The extension behind {@link WarrenTest}: starts the class's {@link WarrenEnvironment} in {@code beforeAll} (or, when
 * a {@link Service} reads a port from the test class, in the first {@code beforeEach}, after the class's
 * {@code @BeforeAll} methods; or earlier, when a constructor or a lifecycle method asks for a parameter) and resolves
 * {@link Edge}, {@link Connector}, {@link VpcNetwork} and {@link VpcService} parameters from it, bindings by
 * {@link BindingNames}. Register it through {@code @WarrenTest}. JUnit calls it from the threads running the tests;
 * the class's store makes the start happen once.
 */
public final class WarrenExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WarrenExtension.class);
    private static final String KEY = "environment";

    @Override
    public void beforeAll(final ExtensionContext context)
    {
        final Optional<ExtensionContext> owner = owner(context);
        if (owner.isPresent() && !ServiceDeclaration.readsPortsFromTestClass(settings(owner.get())))
        {
            environment(context);
        }
    }

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        environment(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        final Class<?> type = parameterContext.getParameter().getType();
        return (type == Edge.class || type == Connector.class || type == VpcNetwork.class || type == VpcService.class)
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
        if (type == VpcService.class)
        {
            return env.edge().service(env.bindings().resolve(BindingNames.Kind.SERVICE, parameterContext));
        }
        return env.edge().network(env.bindings().resolve(BindingNames.Kind.NETWORK, parameterContext));
    }

    /** The class's environment, started on first use and closed with the owning class's context. */
    private static WarrenEnvironment environment(final ExtensionContext context)
    {
        final ExtensionContext owner = owner(context).orElseThrow(() -> new ParameterResolutionException(
            "WarrenExtension needs @WarrenTest on the test class (" + context.getDisplayName() + ")"));
        final Class<?> testClass = owner.getRequiredTestClass();
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(KEY,
            key -> WarrenEnvironment.start(settings(owner), testClass), WarrenEnvironment.class);
    }

    private static WarrenTest settings(final ExtensionContext owner)
    {
        return owner.getRequiredTestClass().getAnnotation(WarrenTest.class);
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
