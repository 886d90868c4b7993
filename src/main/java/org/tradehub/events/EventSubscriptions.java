package org.tradehub.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.tradehub.tenant.TenantDirectory;

/** Each tenant's event endpoint, its signing secrets and how delivering to it goes (table event_subscription). */
@Component
public class EventSubscriptions {

    /** How long the previous secret still signs after a rotation, beside the new one. */
    static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final EventsProperties config;

    public EventSubscriptions(JdbcTemplate jdbc, Clock clock, EventsProperties config) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.config = config;
    }

    /**
     * A tenant's endpoint. {@code secrets} are those that sign now, the current one first; {@code pending} the events
     * waiting for it; {@code eventTypes} the types it wants as saved (exact types and prefixes ending in '*'), null
     * for every type.
     */
    public record Subscription(String tenantId, String url, List<String> secrets, int failures, Instant failingSince,
                               Instant nextAttemptAt, String lastError, Instant disabledAt, long pending,
                               Instant createdAt, Instant updatedAt, List<String> eventTypes) {
        Subscription withEventTypes(List<String> types) {
            return new Subscription(tenantId, url, secrets, failures, failingSince, nextAttemptAt, lastError,
                    disabledAt, pending, createdAt, updatedAt, types);
        }
    }

    /** The columns of a Subscription; the count of waiting events, an index range of the outbox, stands in {@code %s}. */
    private static final String SELECT = "select url, secret, previous_secret, previous_until, failures, failing_since,"
            + " next_attempt_at, last_error, disabled_at, created_at, updated_at, %s, tenant_id, every_type"
            + " from event_subscription s";
    private static final String WITH_PENDING = SELECT.formatted(
            "(select count(*) from event_outbox o where o.tenant_id = s.tenant_id)");

    public Optional<Subscription> find(String tenantId) {
        return jdbc.query(WITH_PENDING + " where tenant_id = ?", this::subscription, tenantId).stream().findFirst()
                .map(this::withEventTypes);
    }

    /**
     * The same for a delivery round, without counting the waiting events ({@code pending} 0): a round runs every
     * delivery interval, and a backlog of many thousand events would be counted each time for nobody.
     */
    Optional<Subscription> forDelivery(String tenantId) {
        return jdbc.query(SELECT.formatted("0") + " where tenant_id = ?", this::subscription, tenantId).stream()
                .findFirst();
    }

    /** Every endpoint that is failing or disabled, longest failing first: the operator's view. */
    public List<Subscription> troubled() {
        return jdbc.query(WITH_PENDING + " where failures > 0 order by failing_since, tenant_id", this::subscription)
                .stream().map(this::withEventTypes).toList();
    }

    /** The subscription with the event types it names read in, unless it takes every type. */
    private Subscription withEventTypes(Subscription s) {
        return s.eventTypes() == null ? s : s.withEventTypes(jdbc.queryForList("select pattern from"
                + " event_subscription_type where tenant_id = ? order by pattern", String.class, s.tenantId()));
    }

    private Subscription subscription(ResultSet rs, int row) throws SQLException {
        Instant until = instant(rs, 4);
        boolean previous = rs.getString(3) != null && until != null && until.isAfter(clock.instant());
        return new Subscription(rs.getString(13), rs.getString(1),
                previous ? List.of(rs.getString(2), rs.getString(3)) : List.of(rs.getString(2)), rs.getInt(5),
                instant(rs, 6), instant(rs, 7), rs.getString(8), instant(rs, 9), rs.getLong(12), instant(rs, 10),
                instant(rs, 11), rs.getBoolean(14) ? null : List.of());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /**
     * Sets the tenant's endpoint and the event types it wants ({@code eventTypes} as {@link EventTypeFilter} checked
     * them, null for every type): a disabled endpoint is enabled again and tried at once. Events already waiting stay
     * whatever their type; the filter applies to events recorded from now on. Returns the new signing secret when the
     * subscription is new (shown this once), null when it existed: the firm's check goes on working.
     */
    @Transactional
    public String save(String tenantId, String url, List<String> eventTypes) {
        Timestamp now = Timestamp.from(clock.instant());
        String secret = newSecret();
        boolean everyType = eventTypes == null;
        // two first PUTs at once: one inserts, the other finds the row and only sets the URL
        boolean created = jdbc.update("insert into event_subscription (tenant_id, url, secret, every_type, created_at,"
                + " updated_at) values (?, ?, ?, ?, ?, ?) on conflict do nothing", tenantId, url, secret, everyType,
                now, now) > 0;
        if (!created) {
            jdbc.update("update event_subscription set url = ?, every_type = ?, failures = 0, failing_since = null,"
                    + " next_attempt_at = null, last_error = null, disabled_at = null, updated_at = ?"
                    + " where tenant_id = ?", url, everyType, now, tenantId);
            jdbc.update("delete from event_subscription_type where tenant_id = ?", tenantId);
        }
        if (!everyType) {
            jdbc.batchUpdate("insert into event_subscription_type (tenant_id, pattern, like_pattern) values (?, ?, ?)",
                    eventTypes.stream().map(p -> new Object[] {tenantId, p, EventTypeFilter.likePattern(p)}).toList());
        }
        return created ? secret : null;
    }

    /**
     * A failing endpoint that answered a test event: its waiting events are tried at once rather than after the
     * back-off (its failure count stays until one of them is delivered). A disabled one stays disabled until its
     * URL is set again.
     */
    void tryNow(String tenantId) {
        jdbc.update("update event_subscription set next_attempt_at = ? where tenant_id = ? and failures > 0"
                + " and disabled_at is null", Timestamp.from(clock.instant()), tenantId);
    }

    /** A new signing secret; the old one signs alongside it for {@link #ROTATION_OVERLAP}. Empty: no subscription. */
    public Optional<String> rotateSecret(String tenantId) {
        String secret = newSecret();
        Instant now = clock.instant();
        int rows = jdbc.update("update event_subscription set previous_secret = secret, previous_until = ?, secret = ?,"
                + " updated_at = ? where tenant_id = ?", Timestamp.from(now.plus(ROTATION_OVERLAP)), secret,
                Timestamp.from(now), tenantId);
        return rows == 0 ? Optional.empty() : Optional.of(secret);
    }

    /** Ends the subscription; the events still waiting are not sent. */
    @Transactional
    public boolean delete(String tenantId) {
        jdbc.update("delete from event_outbox where tenant_id = ?", tenantId);
        return jdbc.update("delete from event_subscription where tenant_id = ?", tenantId) > 0;
    }

    /** Tenants with events waiting whose endpoint may be called now. */
    List<String> due() {
        return jdbc.queryForList("select s.tenant_id from event_subscription s where s.disabled_at is null"
                + " and (s.next_attempt_at is null or s.next_attempt_at <= ?)"
                + " and exists (select 1 from event_outbox o where o.tenant_id = s.tenant_id)", String.class,
                Timestamp.from(clock.instant()));
    }

    /** The endpoint answered 2xx: the next event goes at once. */
    void succeeded(String tenantId) {
        jdbc.update("update event_subscription set failures = 0, failing_since = null, next_attempt_at = null"
                + " where tenant_id = ? and failures > 0", tenantId);
    }

    /**
     * The endpoint failed: tried again after a delay doubling from hub.events.first-retry-delay up to
     * max-retry-delay, or disabled once it has been failing for give-up-after (then true).
     */
    boolean failed(Subscription s, String error) {
        Instant now = clock.instant();
        Instant since = s.failingSince() == null ? now : s.failingSince();
        Duration delay = config.firstRetryDelay().multipliedBy(1L << Math.min(s.failures(), 30));
        if (delay.compareTo(config.maxRetryDelay()) > 0 || delay.isNegative()) {
            delay = config.maxRetryDelay();
        }
        boolean giveUp = !now.isBefore(since.plus(config.giveUpAfter()));
        String cut = error.length() > 1000 ? error.substring(0, 1000) : error;
        jdbc.update("update event_subscription set failures = failures + 1, failing_since = ?, next_attempt_at = ?,"
                        + " last_error = ?, disabled_at = ? where tenant_id = ?", Timestamp.from(since),
                Timestamp.from(now.plus(delay)), cut, giveUp ? Timestamp.from(now) : null, s.tenantId());
        return giveUp;
    }

    private static String newSecret() {
        return "whsec_" + TenantDirectory.randomToken();
    }
}
