package org.tradehub.config;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Logs why a supervised route failed to start, and remembers it. Camel's supervising route controller says nothing
 * about a failed first start (it only schedules a restart, and logs "Restarting route ... attempt: 1" two seconds
 * later), so without this the cause of a route that was briefly down at start-up is lost.
 */
@Component
public class RouteStartFailures extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RouteStartFailures.class);
    /** Enough to show what went wrong at a start-up; a route retried for hours must not grow it without end. */
    private static final int KEPT = 100;

    private final List<String> failures = new ArrayList<>();

    public RouteStartFailures() {
        setIgnoreCamelContextEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteRestartingFailureEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.RouteRestartingFailureEvent failure = (CamelEvent.RouteRestartingFailureEvent) event;
        String route = failure.getRoute().getId();
        LOG.warn("Route {} failed to start (attempt {}{})", route, failure.getAttempt(),
                failure.isExhausted() ? ", no more attempts" : ", the route controller will try again",
                failure.getCause());
        synchronized (failures) {
            if (failures.size() < KEPT) {
                failures.add(route + ": " + (failure.getCause() == null ? "unknown cause" : failure.getCause().getMessage()));
            }
        }
    }

    /** Every start failure since the hub started (route id and cause), oldest first. */
    public List<String> seen() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }
}
