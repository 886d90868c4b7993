package org.tradehub.web;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.rest.RestEndpoint;
import org.apache.camel.util.FileUtil;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * What a request that nothing serves is answered: 503 with Retry-After while the route for its path is not consuming,
 * else 404, both as problem details.
 *
 * <p>Why: Tomcat takes requests seconds before Camel has even read its routes, and the supervising route controller
 * starts them seconds later still (and restarts one that failed). Spring MVC maps a route's path only once its
 * consumer runs, so a webhook was answered 404 all that time, while readiness said DOWN. A web shop counts a 404 as a
 * failed delivery and removes a webhook after repeated ones; a 503 with Retry-After says "come back", the truth.
 *
 * <p>{@link DirectRouteDispatch} answers a request whose route Spring MVC still maps but whose consumer is stopped;
 * this answers the ones Spring MVC maps to nothing: the path of a route that exists but is not consuming, or any path
 * while Camel is not running (before it has read its routes, a route's path cannot be told from an unknown one).
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE) // before Spring's own problem-details handler, which would answer 404 to all
public class RouteAvailability {

    /** The supervising route controller retries a route every 2 s by default; a whole start takes seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final CamelContext camel;
    private final ProblemDetails problems;
    /** Each route path as a pattern, parsed once. */
    private final Map<String, PathPattern> patterns = new ConcurrentHashMap<>();

    public RouteAvailability(CamelContext camel, ProblemDetails problems) {
        this.camel = camel;
        this.problems = problems;
    }

    static HubProblemException notConsuming() {
        return HubProblemException.notConsuming(RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    void nothingServes(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        problems.write(response, awaited(PathContainer.parsePath(path)) ? notConsuming()
                : HubProblemException.notFound("Nothing is served at " + path + "."), path);
    }

    /**
     * The path of a route that is not consuming, or any path while Camel's routes are not running. The routes'
     * endpoints exist from the moment Camel reads the routes, long before it starts them; one whose path Spring MVC
     * does not map (it maps a route's path once its consumer starts) belongs to a route that is not consuming.
     */
    private boolean awaited(PathContainer path) {
        if (!camel.isStarted()) {
            return true;
        }
        for (Endpoint endpoint : camel.getEndpoints()) {
            String routePath = routePath(endpoint);
            if (routePath != null
                    && patterns.computeIfAbsent(routePath, PathPatternParser.defaultInstance::parse).matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** The path an HTTP route's endpoint is served at, in the pattern syntax Camel registers it with; else null. */
    private String routePath(Endpoint endpoint) {
        if (endpoint instanceof PlatformHttpEndpoint http) {
            String path = "/" + FileUtil.stripLeadingSeparator(http.getPath());
            return http.isMatchOnUriPrefix() ? FileUtil.stripTrailingSeparator(path) + "/{*matchOnUriPrefix}" : path;
        }
        // a rest-dsl operation: its platform-http endpoint is made only when its route starts
        if (endpoint instanceof RestEndpoint rest) {
            String contextPath = camel.getRestConfiguration().getContextPath();
            return Stream.of(contextPath, rest.getPath(), rest.getUriTemplate())
                    .filter(part -> part != null && !FileUtil.stripLeadingSeparator(part).isEmpty())
                    .map(part -> "/" + FileUtil.stripTrailingSeparator(FileUtil.stripLeadingSeparator(part)))
                    .collect(Collectors.joining());
        }
        return null;
    }
}
