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
 * {@code fileDrops}): last successful poll, last error, how many polls in a row failed, and the back-off. A poll that
 * fails (server unreachable, credentials or host key refused) makes that partner's poller wait before its next
 * attempt, twice as long after each failure in a row (the poll interval, then 2x, 4x ... up to the partner's
 * backoff-max-ms), so a partner that is down is not hammered, and the first good poll ends the back-off. Each poller
 * has its own thread and its own state: a failing partner is reported, never fatal, the other partners' pollers go
 * on at their pace, and the hub stays UP.
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

    /** The poll strategy and exception handler of one poller: records outcomes and backs off after failed polls. */
    public Tracker tracker(String partner, String purpose, long initialBackoffMs, long maxBackoffMs) {
        State state = states.computeIfAbsent(partner + "/" + purpose, k -> new State());
        return new Tracker(partner + "/" + purpose, state, initialBackoffMs, maxBackoffMs);
    }

    /** A poller that could not even be created (its profile is broken): reported like a failing one. */
    public void broken(String partner, String purpose, String what, Exception cause) {
        tracker(partner, purpose, 1, 1).handleException(what, cause);
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
        volatile long polls;
        volatile long skippedPolls;
        volatile long backoffMs;
        volatile Instant nextAttemptAt;

        Map<String, Object> describe() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("state", failuresInARow > 0 ? "failing" : lastSuccess == null ? "waiting" : "ok");
            d.put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
            d.put("lastError", lastError);
            d.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
            d.put("failuresInARow", failuresInARow);
            d.put("filesTaken", files);
            d.put("polls", polls);
            d.put("backoffMs", backoffMs);
            d.put("nextAttemptAt", nextAttemptAt == null ? null : nextAttemptAt.toString());
            d.put("skippedPolls", skippedPolls);
            return d;
        }
    }

    public final class Tracker implements PollingConsumerPollStrategy, ExceptionHandler {
        private final String name;
        private final State state;
        private final long initialBackoffMs;
        private final long maxBackoffMs;
        private boolean pollFailureCounted; // only the poller's own thread uses it

        Tracker(String name, State state, long initialBackoffMs, long maxBackoffMs) {
            this.name = name;
            this.state = state;
            this.initialBackoffMs = Math.max(1, initialBackoffMs);
            this.maxBackoffMs = Math.max(this.initialBackoffMs, maxBackoffMs);
        }

        /** Skips the poll while the poller is backing off. */
        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            pollFailureCounted = false;
            Instant next = state.nextAttemptAt;
            if (next != null && clock.instant().isBefore(next)) {
                state.skippedPolls++;
                return false;
            }
            return true;
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
            state.lastSuccess = clock.instant();
            state.failuresInARow = 0;
            state.backoffMs = 0;
            state.nextAttemptAt = null;
            state.polls++;
            state.files += polledMessages;
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
            failed("poll failed: " + message(cause));
            pollFailureCounted = true;
            // exponential: the poll interval, then twice as long after each further failure, up to the maximum
            long backoff = initialBackoffMs;
            for (int i = 1; i < state.failuresInARow && backoff < maxBackoffMs; i++) {
                backoff *= 2;
            }
            state.backoffMs = Math.min(maxBackoffMs, backoff);
            state.nextAttemptAt = clock.instant().plusMillis(state.backoffMs);
            return false; // no immediate retry within this poll
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
            if (exchange == null && pollFailureCounted) {
                pollFailureCounted = false;
                return; // the consumer passes the failed poll on after rollback(), where it was counted already
            }
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
