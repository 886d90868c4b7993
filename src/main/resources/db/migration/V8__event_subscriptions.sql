-- Event notifications: a firm's own endpoint receives its transactions' timeline events as they happen, signed with a
-- secret of its own (README: Event notifications). Same SQL for H2 (MODE=PostgreSQL) and PostgreSQL, as V1.

-- One endpoint per tenant, and how delivering to it goes. The secret signs every delivery (HMAC-SHA256); after a
-- rotation the previous one signs alongside it until previous_until, so the firm can switch its check over without
-- refusing a delivery. failures counts the failed attempts since the last success (failing_since); the next attempt
-- waits until next_attempt_at; an endpoint that failed for hub.events.give-up-after is disabled (disabled_at, with
-- last_error) until the firm sets its URL again.
create table event_subscription (
    tenant_id          varchar(64) primary key references tenant(id),
    url                varchar(2000) not null,
    secret             varchar(100) not null,
    previous_secret    varchar(100),
    previous_until     timestamp with time zone,
    failures           integer not null default 0,
    failing_since      timestamp with time zone,
    next_attempt_at    timestamp with time zone,
    last_error         varchar(1000),
    disabled_at        timestamp with time zone,
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null
);

-- Events waiting for delivery to their tenant's endpoint (a transactional outbox): written by the database transaction
-- that writes the event, so an event is sent only once committed and is never lost in between. Deleted once the
-- endpoint answered 2xx; delivered per tenant in event_id order.
create table event_outbox (
    event_id           bigint primary key references transaction_event(id),
    tenant_id          varchar(64) not null
);
create index event_outbox_by_tenant on event_outbox (tenant_id, event_id);
