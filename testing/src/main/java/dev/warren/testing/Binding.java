package dev.warren.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names the binding a {@link dev.warren.api.VpcNetwork} parameter of a {@link WarrenTest} class receives. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Binding
{
    /**
     * The binding's name, one of {@link WarrenTest#networks()}.
     *
     * @return the name.
     */
    String value();
}
