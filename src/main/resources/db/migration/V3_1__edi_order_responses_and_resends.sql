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
