package dev.warren.testing;

import dev.warren.api.ServiceConfig;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Turns a {@link Service} of a test class into the edge's {@link ServiceConfig}, reading the ports that come from a
 * static field or method of the class. Every mistake becomes an {@link ExtensionConfigurationException} that names
 * the test class, the service and the attribute. Stateless.
 */
final class ServiceDeclaration
{
    private ServiceDeclaration()
    {
    }

    /**
     * Whether any service of {@code settings} reads a port from the test class, so the edge must wait for the class's
     * {@code @BeforeAll} methods.
     */
    static boolean readsPortsFromTestClass(final WarrenTest settings)
    {
        for (final Service service : settings.services())
        {
            if (!service.httpPortFrom().isEmpty() || !service.httpsPortFrom().isEmpty()
                || !service.tcpPortFrom().isEmpty())
            {
                return true;
            }
        }
        return false;
    }

    /** The binding {@code service} declares on {@code tunnel}, with its ports read now from {@code testClass}. */
    static ServiceConfig toConfig(final Service service, final String tunnel, final Class<?> testClass)
    {
        final String where = "@WarrenTest on " + testClass.getSimpleName() + ", @Service(name = \"" + service.name()
            + "\")";
        final int httpPort = port(where, "httpPort", service.httpPort(), service.httpPortFrom(), testClass);
        final int httpsPort = port(where, "httpsPort", service.httpsPort(), service.httpsPortFrom(), testClass);
        final int tcpPort = port(where, "tcpPort", service.tcpPort(), service.tcpPortFrom(), testClass);
        try
        {
            return new ServiceConfig(service.name(), tunnel, service.type(), service.host(), httpPort, httpsPort,
                tcpPort, service.certVerification());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ExtensionConfigurationException(where + ": " + ex.getMessage(), ex);
        }
    }

    private static int port(
        final String where, final String attribute, final int literal, final String from, final Class<?> testClass)
    {
        if (from.isEmpty())
        {
            return literal;
        }
        if (literal != 0)
        {
            throw new ExtensionConfigurationException(where + ": " + attribute + " = " + literal + " and "
                + attribute + "From = \"" + from + "\" both give the port; keep one");
        }
        final Object value = staticValue(where, attribute + "From", from, testClass);
        if (!(value instanceof Integer))
        {
            throw new ExtensionConfigurationException(where + ": " + attribute + "From = \"" + from + "\" must be an "
                + "int, not " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        final int port = (Integer)value;
        if (port < 1 || port > 65535)
        {
            throw new ExtensionConfigurationException(where + ": " + attribute + "From = \"" + from + "\" is " + port
                + " when the edge starts; set it to the private host's port in a @BeforeAll method (and ask for "
                + "no Warren parameter in @BeforeAll or a constructor, which would start the edge earlier)");
        }
        return port;
    }

    /** The value of the static field or static no-argument method {@code name} of {@code testClass} or a superclass. */
    private static Object staticValue(final String where, final String attribute, final String name,
        final Class<?> testClass)
    {
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass())
        {
            try
            {
                for (final Field field : c.getDeclaredFields())
                {
                    if (field.getName().equals(name) && Modifier.isStatic(field.getModifiers()))
                    {
                        field.setAccessible(true);
                        return field.get(null);
                    }
                }
                for (final Method method : c.getDeclaredMethods())
                {
                    if (method.getName().equals(name) && method.getParameterCount() == 0
                        && Modifier.isStatic(method.getModifiers()))
                    {
                        method.setAccessible(true);
                        return method.invoke(null);
                    }
                }
            }
            catch (final IllegalAccessException ex)
            {
                throw new ExtensionConfigurationException(where + ": cannot read " + attribute + " \"" + name + "\"",
                    ex);
            }
            catch (final InvocationTargetException ex)
            {
                throw new ExtensionConfigurationException(where + ": " + attribute + " method " + name + "() failed: "
                    + ex.getCause(), ex.getCause());
            }
        }
        throw new ExtensionConfigurationException(where + ": " + attribute + " = \"" + name + "\" names no static "
            + "field or static no-argument method of " + testClass.getSimpleName() + " or its superclasses");
    }
}
