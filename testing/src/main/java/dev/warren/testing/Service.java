package dev.warren.testing;

import dev.warren.api.CertVerification;
import dev.warren.api.ServiceType;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A VPC Service binding (SPEC §2) on a {@link WarrenTest}'s edge: a fixed private host and port that callers cannot
 * change. Declared inside {@link WarrenTest#services()}; a {@link dev.warren.api.VpcService} parameter receives it by
 * {@link Binding @Binding("name")}, or without it when it is the class's only service.
 * <p>
 * A port is given either as a number ({@link #httpPort()}, {@link #httpsPort()}, {@link #tcpPort()}) or, for a
 * private host that a test starts on port 0, by naming a static field or a static no-argument method of the test
 * class that holds it ({@link #httpPortFrom()}, {@link #httpsPortFrom()}, {@link #tcpPortFrom()}). When any port of
 * the class comes from a field or method, the edge starts after the class's {@code @BeforeAll} methods, so they can
 * start the private host and set the field:
 * <pre>{@code
 * @WarrenTest(services = @Service(name = "users-api", httpPortFrom = "usersPort"))
 * class UsersTest {
 *     static HttpServer users;
 *     static int usersPort;
 *     @BeforeAll static void startUsers() throws IOException { ...; usersPort = users.getAddress().getPort(); }
 *     @Test void listsUsers(@Binding("users-api") VpcService api) { ... api.fetch("http://users.internal/users") ... }
 * }
 * }</pre>
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Service
{
    /**
     * The binding's name, unique among the class's services and networks.
     *
     * @return the name.
     */
    String name();

    /**
     * What the service carries: {@link ServiceType#HTTP} for {@code fetch()} on {@link #httpPort()} and/or
     * {@link #httpsPort()}, {@link ServiceType#TCP} for {@code connect()} on {@link #tcpPort()}.
     *
     * @return the type; default {@link ServiceType#HTTP}.
     */
    ServiceType type() default ServiceType.HTTP;

    /**
     * The private host, as the connector dials it. Tests should keep to loopback.
     *
     * @return an IPv4 or IPv6 address or a host name; default {@code "127.0.0.1"}.
     */
    String host() default "127.0.0.1";

    /**
     * The port for {@code http} URLs, whatever port the URL says.
     *
     * @return 1..65535, or 0 (the default) when {@code http} is refused or {@link #httpPortFrom()} gives it.
     */
    int httpPort() default 0;

    /**
     * The port for {@code https} URLs, whatever port the URL says.
     *
     * @return 1..65535, or 0 (the default) when {@code https} is refused or {@link #httpsPortFrom()} gives it.
     */
    int httpsPort() default 0;

    /**
     * The port of a {@link ServiceType#TCP} service.
     *
     * @return 1..65535, or 0 (the default) for an HTTP service or when {@link #tcpPortFrom()} gives it.
     */
    int tcpPort() default 0;

    /**
     * A static {@code int} field, or a static no-argument method returning {@code int}, of the test class (or a
     * superclass) whose value at start-up is the {@code http} port.
     *
     * @return the field's or method's name; default none.
     */
    String httpPortFrom() default "";

    /**
     * Like {@link #httpPortFrom()}, for the {@code https} port.
     *
     * @return the field's or method's name; default none.
     */
    String httpsPortFrom() default "";

    /**
     * Like {@link #httpPortFrom()}, for the port of a {@link ServiceType#TCP} service.
     *
     * @return the field's or method's name; default none.
     */
    String tcpPortFrom() default "";

    /**
     * How the connector verifies the host's certificate on {@code https}.
     *
     * @return the mode; default {@link CertVerification#VERIFY_FULL}.
     */
    CertVerification certVerification() default CertVerification.VERIFY_FULL;
}
