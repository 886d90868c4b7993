-- A firm's event subscription can name the event types it wants (README: Event notifications): every_type, or only
-- the types matching one of its patterns, an exact type or a prefix ending in '*'. like_pattern is the pattern as
-- SQL LIKE reads it ('!' escapes), made when the filter is saved, so Ledger.addEvent matches it in its outbox insert.
alter table event_subscription add column every_type boolean not null default true;

create table event_subscription_type (
    tenant_id          varchar(64) not null references event_subscription(tenant_id) on delete cascade,
    pattern            varchar(64) not null,
    like_pattern       varchar(130) not null,
    primary key (tenant_id, pattern)
);
