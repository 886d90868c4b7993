-- EDI, second step: order responses (ORDRSP / 855) and acknowledgements sent again to a partner who resent.
-- Same SQL dialect rules as V1: it runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- One order response per order message answered (order_ref = that message's intake de-duplication key). It is the
-- outbox of the response: a redelivery or replay finds the row and queues the stored bytes again (same interchange
-- control number), never a second, different response. control_ref lets the partner's CONTRL / 997 find it.
create table edi_order_response (
    tenant_id              varchar(64) not null,
    order_ref              varchar(300) not null,
    partner_id             varchar(200) not null,
    transaction_id         varchar(36) not null references trade_transaction(id),
    document_type          varchar(16) not null,     -- ORDRSP | 855
    control_ref            varchar(35) not null,
    document_id            varchar(36) not null references document(id),
    accepted               boolean not null,
    created_at             timestamp with time zone not null,
    primary key (tenant_id, order_ref)
);
create index edi_order_response_by_control_ref on edi_order_response (tenant_id, partner_id, control_ref);

-- A payload may carry several interchanges: each has its own row (part_index = its position in the payload, 1-based;
-- they share receipt_id and the raw document). payload_sha256 identifies the interchange's content as read (envelope,
-- messages, errors), so a resend is recognised whether it comes alone or with others; for an unreadable payload it
-- is the hash of the payload's bytes.
alter table edi_interchange add column part_index integer not null default 1;

-- Each delivery of a resent interchange, once (a redelivery of the same delivery after a crash is not counted
-- again): the stored acknowledgement is sent again for each, since the partner resends when ours did not reach it.
create table edi_interchange_resend (
    interchange_id         varchar(36) not null references edi_interchange(id),
    receipt_id             varchar(100) not null,
    as2_message_id         varchar(300),
    payload_document_sha256 varchar(64) not null,
    received_at            timestamp with time zone not null,
    primary key (interchange_id, receipt_id)
);
