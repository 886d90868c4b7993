package org.tradehub.support;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * A supervised route that cannot start, as one whose peer is unreachable (a partner's FTP server with a wrong host):
 * a second consumer of a direct endpoint that another route holds. The supervising route controller takes it and
 * retries it with its back-off until {@link #release()} stops the holder; nothing depends on how slow the machine is.
 * Its id starts with {@link #PREFIX}, so the start failures it causes are told apart from the hub's own.
 */
public final class RouteThatCannotStart implements AutoCloseable {

    public static final String PREFIX = "test-cannot-start-";

    private final CamelContext camel;
    private final String id;
    private final String holder;

    private RouteThatCannotStart(CamelContext camel, String id) {
        this.camel = camel;
        this.id = id;
        this.holder = id + "-holder";
    }

    /**
     * Adds the route (in the route group, when not null) and its holder, and lets its first start fail.
     *
     * @param name the route's id after {@link #PREFIX}
     */
    public static RouteThatCannotStart add(CamelContext camel, String name, String group) throws Exception {
        RouteThatCannotStart route = new RouteThatCannotStart(camel, PREFIX + name);
        String endpoint = "direct:" + route.id;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // started by the test: a route with autoStartup false is not supervised
                from(endpoint).routeId(route.holder).autoStartup(false).log("held");
            }
        });
        camel.getRouteController().startRoute(route.holder);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                RouteDefinition waiting = from(endpoint).routeId(route.id);
                if (group != null) {
                    waiting.group(group);
                }
                waiting.log("started");
            }
        });
        try {
            // the controller supervises a route added after start-up but leaves its first start to its owner
            camel.getRouteController().startRoute(route.id);
        } catch (Exception expected) {
            // the endpoint is held: the controller retries the route from now on
        }
        if (camel.getRouteController().getRouteStatus(route.id) == ServiceStatus.Started) {
            route.close();
            throw new IllegalStateException(route.id + " started although its endpoint is held");
        }
        return route;
    }

    public String id() {
        return id;
    }

    /** Stops the holder, so the controller's next retry starts the route; waits until it has. */
    public void release() throws InterruptedException {
        if (camel.getRouteController().getRouteStatus(holder) == ServiceStatus.Started) {
            try {
                camel.getRouteController().stopRoute(holder);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (camel.getRouteController().getRouteStatus(id) != ServiceStatus.Started && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (camel.getRouteController().getRouteStatus(id) != ServiceStatus.Started) {
            throw new IllegalStateException(id + " was not restarted within 30 s of its release");
        }
    }

    /** Lets the route start first (the hub is ready again, as the next test expects), then removes both routes. */
    @Override
    public void close() throws Exception {
        release();
        for (String route : new String[] {id, holder}) {
            if (camel.getRoute(route) != null) {
                camel.getRouteController().stopRoute(route);
                camel.removeRoute(route);
            }
        }
    }
}
