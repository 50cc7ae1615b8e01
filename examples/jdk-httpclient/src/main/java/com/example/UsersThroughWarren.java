package com.example;

import dev.warren.Warren;
import dev.warren.api.BindingHttpClient;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ServiceConfig;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The program: the users API is "private" (here on loopback), an edge and a connector run in this process (usually
 * the connector runs inside the private network), and the existing {@link UsersClient} reaches the API through the
 * VPC Service {@code users-api} by being given {@code BindingHttpClient.of(edge.service("users-api"))} instead of
 * {@code HttpClient.newHttpClient()}. Exits non-zero when an answer is not the expected one.
 */
public final class UsersThroughWarren
{
    public static void main(final String[] args) throws Exception
    {
        final String token = "example-token-0123456789";
        try (UsersApi api = new UsersApi();
             Edge edge = Warren.startEdge(EdgeConfig.builder()
                 .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
                 .tunnel("office", token)
                 .service(ServiceConfig.http("users-api", "office", "127.0.0.1", api.port(), 0,
                     CertVerification.VERIFY_FULL))
                 .build());
             Connector connector = Warren.startConnector(ConnectorConfig.builder()
                 .edge(edge.tunnelAddress())
                 .tunnel("office", token)
                 .allow("127.0.0.0/8")
                 .insecure(true) // one process on loopback; across a network use .tls(ConnectorTlsConfig.caFile(...))
                 .build()))
        {
            while (edge.liveConnections("office") == 0)
            {
                Thread.sleep(10);
            }
            // The URL's host only fills the Host field: the service's configured host and port get the request,
            // so this name is never resolved.
            final UsersClient users = new UsersClient(
                BindingHttpClient.of(edge.service("users-api")), URI.create("http://users.internal"));

            final String created = users.add("linus");
            final String listed = users.list();
            System.out.println("POST /users -> " + created);
            System.out.println("GET /users  -> " + listed.replace('\n', ','));
            if (!"/users/2".equals(created) || !"ada\ngrace\nlinus".equals(listed))
            {
                System.err.println("unexpected answers from the private users API");
                System.exit(1);
            }
        }
    }
}
