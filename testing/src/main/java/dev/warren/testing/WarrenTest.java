package dev.warren.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts, once per test class, an in-process edge and a connector on loopback, waits until the connector is
 * connected, and injects {@link dev.warren.api.Edge}, {@link dev.warren.api.Connector},
 * {@link dev.warren.api.VpcNetwork} and {@link dev.warren.api.VpcService} parameters into test methods, lifecycle
 * methods and constructors (a binding by {@link Binding @Binding("name")}, or the only one of its kind when there is
 * one). A misnamed binding fails the test with a message that names it, the parameter and the declared bindings.
 * Both are closed after the class's tests, whether they passed or not.
 * <p>
 * The edge listens on {@code 127.0.0.1:0} with one event loop; the connector keeps one tunnel connection, runs one
 * event loop and may connect only where {@link #allow()} says. Each class gets its own ports (0) and a random token,
 * so test classes may run in parallel. Nested classes share their enclosing class's edge and connector.
 * <pre>{@code
 * @WarrenTest(networks = "net", services = @Service(name = "users-api", httpPort = 8080))
 * class MyTest {
 *     @Test void reachesTheDatabase(@Binding("net") VpcNetwork net) { ... net.connect("127.0.0.1:5432") ... }
 *     @Test void listsUsers(@Binding("users-api") VpcService api) { ... api.fetch("http://users/list") ... }
 * }
 * }</pre>
 * The edge starts before the class's {@code @BeforeAll} methods, unless a {@link Service} takes a port from a field
 * or method of the class: then it starts after them (see {@link Service}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WarrenExtension.class)
public @interface WarrenTest
{
    /**
     * The tunnel's id.
     *
     * @return 1..255 characters; default {@code "test"}.
     */
    String tunnel() default "test";

    /**
     * The VPC Network bindings on the tunnel, by name.
     *
     * @return the names; default none.
     */
    String[] networks() default {};

    /**
     * The VPC Service bindings on the tunnel: fixed private hosts and ports.
     *
     * @return the services; default none.
     */
    Service[] services() default {};

    /**
     * The connector's allow-list (CIDRs or addresses).
     *
     * @return the entries; default loopback ({@code 127.0.0.0/8} and {@code ::1}).
     */
    String[] allow() default {"127.0.0.0/8", "::1"};

    /**
     * How long to wait for the connector's tunnel connection before failing the class.
     *
     * @return milliseconds; default 10 000.
     */
    long connectTimeoutMillis() default 10_000;
}
