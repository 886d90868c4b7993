package org.tradehub.files;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * How each partner's pollers are doing, for the health endpoint ({@code /actuator/health}, component
 * {@code fileDrops}): last successful poll, last error and how many polls in a row failed. A failing partner is
 * reported, never fatal: the other partners' pollers go on, and the hub stays UP.
 */
@Component("fileDropsHealthIndicator")
public class FilePollers implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(FilePollers.class);

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Clock clock;

    public FilePollers(Clock clock) {
        this.clock = clock;
    }

    static String beanName(String partner, String purpose) {
        return "filePoller-" + partner + "-" + purpose;
    }

    /** The poll strategy and exception handler of one poller: it records outcomes, it decides nothing. */
    public Tracker tracker(String partner, String purpose) {
        State state = states.computeIfAbsent(partner + "/" + purpose, k -> new State());
        return new Tracker(partner + "/" + purpose, state);
    }

    public Map<String, Object> status(String partner, String purpose) {
        State s = states.get(partner + "/" + purpose);
        return s == null ? Map.of() : s.describe();
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        states.forEach((k, s) -> details.put(k, s.describe()));
        return Health.up().withDetails(details).build();
    }

    private static final class State {
        volatile Instant lastSuccess;
        volatile Instant lastErrorAt;
        volatile String lastError;
        volatile int failuresInARow;
        volatile long files;

        Map<String, Object> describe() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("state", failuresInARow > 0 ? "failing" : lastSuccess == null ? "waiting" : "ok");
            d.put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
            d.put("lastError", lastError);
            d.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
            d.put("failuresInARow", failuresInARow);
            d.put("filesTaken", files);
            return d;
        }
    }

    public final class Tracker implements PollingConsumerPollStrategy, ExceptionHandler {
        private final String name;
        private final State state;

        Tracker(String name, State state) {
            this.name = name;
            this.state = state;
        }

        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            return true;
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
            state.lastSuccess = clock.instant();
            state.failuresInARow = 0;
            state.files += polledMessages;
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
            failed("poll failed: " + message(cause));
            return false; // no immediate retry: the consumer's back-off skips the next polls
        }

        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            String file = exchange == null ? null : exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
            failed((file == null ? "" : file + ": ") + message(exception));
        }

        private void failed(String what) {
            state.lastErrorAt = clock.instant();
            state.lastError = what;
            state.failuresInARow++;
            LOG.warn("File poller {}: {}", name, what);
        }

        private String message(Throwable t) {
            if (t == null) {
                return "unknown error";
            }
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return t.getMessage() + (root != t ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
        }
    }
}
