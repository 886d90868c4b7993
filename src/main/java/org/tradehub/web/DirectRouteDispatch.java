package org.tradehub.web;

import java.io.IOException;
import java.util.concurrent.Executor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.CamelRequestHandlerMapping;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.apache.camel.util.ObjectHelper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Camel's HTTP routes (platform-http) served on the Tomcat thread that read the request, without Spring MVC.
 *
 * <p>Why: camel-platform-http-starter 4.17 registers every route as a Spring MVC handler method that returns a
 * CompletableFuture. Each request then went through the DispatcherServlet twice (once to start async processing,
 * once more, after the route ran on another pool, to write the answer), plus reflection, argument resolution and a
 * thread hand-off. JFR on the webhook benchmark put that machinery at about half of the hub's CPU per request, more
 * than the route itself (HMAC, durable JMS send).
 *
 * <p>How: the routes are still matched by Camel's own {@link CamelRequestHandlerMapping} (same paths, path
 * parameters, methods, consumes/produces as before); this filter, the last before the DispatcherServlet, asks it for
 * the request's route and runs the route right here. Everything the mapping does not claim (unknown paths, a wrong
 * method, CORS pre-flights, actuator) goes on to Spring MVC unchanged, which answers it (405, 415... as problem
 * details; a path nothing serves: {@link RouteAvailability}).
 * All servlet filters in front of it (size limits, the AS2 port guard, no-store, HTTP metrics) still apply.
 *
 * <p>Form bodies: Camel's binding would read an {@code application/x-www-form-urlencoded} body (curl's default) as
 * form parameters into headers and the body into a map, before the route runs. A webhook's HMAC is over the bytes as
 * sent, and a body that is not form data (JSON, garbage) made the binding fail with a bare 500. No route of the hub
 * takes forms (WooCommerce's creation ping reads its one field itself), so every route gets the body as sent.
 *
 * <p>A route that is not consuming (the hub is starting, or the route is stopped or being restarted) is answered 503
 * with Retry-After, not 404: see {@link RouteAvailability}.
 */
@Configuration(proxyBeanMethods = false)
public class DirectRouteDispatch {

    /** Runs a task on the calling thread. */
    private static final Executor CALLING_THREAD = Runnable::run;

    /** Replaces the starter's engine (it backs off when one exists): the same consumers, run on the calling thread. */
    @Bean("platform-http-engine")
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, CALLING_THREAD) {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                // the binding's second form reading (the body replaced by a map of parameters)
                endpoint.setPopulateBodyWithForm(false);
                return new RouteConsumer(endpoint, processor);
            }
        };
    }

    @Bean
    RouteDispatchFilter routeDispatchFilter(ObjectProvider<CamelRequestHandlerMapping> routes,
                                            ProblemDetails problems) {
        return new RouteDispatchFilter(routes, problems);
    }

    /** A platform-http consumer whose route can be run by the filter on the request's own thread. */
    static final class RouteConsumer extends SpringBootPlatformHttpConsumer {
        RouteConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            // if Spring MVC does reach this consumer (a forward, say), its async hand-off runs on the calling thread
            super(endpoint, processor, CALLING_THREAD);
        }

        /**
         * Every exchange skips the binding's first form reading (form fields into headers, the one that failed on a
         * body that is not form data): the switch camel-servlet's bridge endpoints use, read by PlatformHttpMessage.
         */
        @Override
        public Exchange createExchange(boolean autoRelease) {
            Exchange exchange = super.createExchange(autoRelease);
            exchange.setProperty(Exchange.SKIP_WWW_FORM_URLENCODED, Boolean.TRUE);
            return exchange;
        }

        /** The route, start to answer. */
        void serve(HttpServletRequest request, HttpServletResponse response) throws Exception {
            handleService(request, response);
        }
    }

    /** Hands the requests of Camel's routes to their consumer; everything else to the rest of the chain. */
    static final class RouteDispatchFilter extends OncePerRequestFilter implements Ordered {
        private final ObjectProvider<CamelRequestHandlerMapping> routes;
        private final ProblemDetails problems;
        /** Looked up once: resolving the provider on every request cost as much as matching the route. */
        private volatile CamelRequestHandlerMapping mapping;

        RouteDispatchFilter(ObjectProvider<CamelRequestHandlerMapping> routes, ProblemDetails problems) {
            this.routes = routes;
            this.problems = problems;
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            RouteConsumer consumer = CorsUtils.isPreFlightRequest(request) ? null : routeOf(request);
            if (consumer == null) {
                chain.doFilter(request, response);
            } else if (!consumer.isStarted()) {
                // the mapping keeps a route's consumer when the route stops (the starter never unregisters it), and
                // the stopped consumer answered 500
                problems.write(response, RouteAvailability.notConsuming(), request.getRequestURI());
            } else {
                serve(consumer, request, response);
            }
        }

        /**
         * A body over its size limit is handed back to the size filter (a streamed body is read whole before the
         * route runs). Anything else that fails outside the route's own error handling (reading the request) is
         * answered as the error policy answers it, never with a bare 500.
         */
        private void serve(RouteConsumer consumer, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            try {
                consumer.serve(request, response);
            } catch (Exception e) {
                RequestSizeLimitFilter.BodyTooLargeException tooLarge =
                        ObjectHelper.getException(RequestSizeLimitFilter.BodyTooLargeException.class, e);
                if (tooLarge != null) {
                    throw tooLarge;
                }
                HubProblemException problem = problems.problemFor(e, consumer.getEndpoint().getPath());
                if (!response.isCommitted()) {
                    response.reset();
                    problems.write(response, problem, request.getRequestURI());
                }
            }
        }

        private RouteConsumer routeOf(HttpServletRequest request) {
            CamelRequestHandlerMapping mapping = this.mapping;
            if (mapping == null) {
                mapping = routes.getIfAvailable();
                if (mapping == null) {
                    return null;
                }
                this.mapping = mapping;
            }
            try {
                HandlerExecutionChain handler = mapping.getHandler(request);
                if (handler != null && handler.getHandler() instanceof HandlerMethod method
                        && method.getBean() instanceof RouteConsumer consumer) {
                    return consumer;
                }
            } catch (Exception e) {
                // no route claims it as sent (wrong method, media type...): Spring MVC answers it as before
            }
            ServletRequestPathUtils.clearParsedRequestPath(request);
            return null;
        }
    }
}
