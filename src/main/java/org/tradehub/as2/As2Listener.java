package org.tradehub.as2;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;
import org.tradehub.web.HubProblemException;
import org.tradehub.web.ProblemDetails;

/**
 * One AS2 listener for all partners on its own port (hub.as2.port): partners reach the AS2 path there and nothing
 * else, and the AS2 path is not served on the hub's main port. The listener is a second connector of the embedded
 * Tomcat, so the routes stay ordinary platform-http routes.
 */
@Configuration
public class As2Listener {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> as2Connector(As2Properties as2,
                                                                          @Value("${server.port:8080}") int serverPort) {
        return factory -> {
            if (as2.port() > 0 && as2.port() != serverPort) {
                Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
                connector.setPort(as2.port());
                factory.addAdditionalTomcatConnectors(connector);
            }
        };
    }

    @Bean
    As2PortFilter as2PortFilter(As2Properties as2, @Value("${server.port:8080}") int serverPort,
                                ProblemDetails problems) {
        return new As2PortFilter(as2, serverPort, problems);
    }

    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    static class As2PortFilter extends OncePerRequestFilter {
        private final As2Properties as2;
        private final boolean separate;
        private final ProblemDetails problems;

        As2PortFilter(As2Properties as2, int serverPort, ProblemDetails problems) {
            this.as2 = as2;
            this.problems = problems;
            this.separate = as2.port() > 0 && as2.port() != serverPort;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (separate) {
                String uri = request.getRequestURI();
                boolean as2Path = uri.equals(as2.path()) || uri.startsWith(as2.path() + "/");
                boolean as2Port = request.getLocalPort() == as2.port();
                if (as2Path != as2Port) {
                    // the same problem details as any other path nothing serves
                    problems.write(response, HubProblemException.notFound("Nothing is served at " + uri
                            + " on this port."), uri);
                    return;
                }
            }
            chain.doFilter(request, response);
        }
    }
}
