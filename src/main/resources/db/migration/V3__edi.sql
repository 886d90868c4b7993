-- EDI (UN/EDIFACT, X12): trading-partner options, the interchanges received (de-duplication, acknowledgement) and
-- the documents we sent (never twice; their CONTRL/997 answers are correlated by our control number).
-- Same SQL dialect rules as V1: it runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- One row per (tenant, partner): how we talk EDI with that partner. Ids are the UNB/ISA identifiers.
create table edi_partner (
    tenant_id              varchar(64) not null references tenant(id),
    partner_id             varchar(200) not null,
    standard               varchar(8) not null,      -- EDIFACT | X12: what we send to this partner
    our_id                 varchar(35) not null,     -- UNB S002 / ISA06 on what we send
    our_qualifier          varchar(4),               -- UNB 0007 / ISA05
    their_id               varchar(35) not null,     -- UNB S003 / ISA08
    their_qualifier        varchar(4),
    channel                varchar(32),              -- outbound queue hub.outbound.<channel>; null = the inbound one
    send_acknowledgements  boolean not null,         -- CONTRL / 997 for each interchange they send
    send_order_responses   boolean not null,         -- ORDRSP / 855 once an order is accepted
    syntax_identifier      varchar(4),               -- UNOC, UNOW ... (EDIFACT)
    message_release        varchar(8),               -- ORDRSP directory (D96A) or X12 version (004010)
    test_indicator         boolean not null,
    updated_at             timestamp with time zone not null,
    primary key (tenant_id, partner_id)
);

-- Our interchange control numbers (UNB 0020 / ISA13) towards each partner, also for partners without a profile
-- (acknowledgements). Incremented under the row lock, in the transaction that records what is sent.
create table edi_control_counter (
    tenant_id              varchar(64) not null,
    partner_id             varchar(200) not null,
    last_value             bigint not null,
    primary key (tenant_id, partner_id)
);

-- Tenant-level EDI choices: whether export declarations go as CUSDEC over AS2, and to which single-window partner.
create table edi_tenant_settings (
    tenant_id              varchar(64) primary key references tenant(id),
    cusdec_partner_id      varchar(200),
    updated_at             timestamp with time zone not null
);

-- Every interchange received. A resend (same partner, control number and payload hash) finds its row and creates
-- nothing; the same control number with another hash is a new interchange, flagged in note.
create table edi_interchange (
    id                     varchar(36) primary key,
    tenant_id              varchar(64) not null,
    partner_id             varchar(200) not null,
    channel                varchar(32) not null,
    standard               varchar(8),
    control_ref            varchar(35),
    payload_sha256         varchar(64) not null,
    receipt_id             varchar(100),
    as2_message_id         varchar(300),
    document_id            varchar(36) not null references document(id),
    ack_document_id        varchar(36) references document(id),
    messages               integer not null,
    rejected_messages      integer not null,
    status                 varchar(24) not null,     -- ACCEPTED | PARTIALLY_ACCEPTED | REJECTED
    note                   varchar(2000),
    resends                integer not null,
    received_at            timestamp with time zone not null,
    constraint one_interchange_per_payload unique (tenant_id, partner_id, control_ref, payload_sha256)
);
create index edi_interchange_by_control_ref on edi_interchange (tenant_id, partner_id, control_ref);

-- Documents we sent over EDI. The primary key makes each (transaction, document type) go out once; the control
-- number lets an incoming CONTRL/997 find what it acknowledges.
create table edi_outbound (
    tenant_id              varchar(64) not null,
    partner_id             varchar(200) not null,
    document_type          varchar(16) not null,     -- ORDRSP, 855, CUSDEC
    transaction_id         varchar(36) not null references trade_transaction(id),
    control_ref            varchar(35) not null,
    document_id            varchar(36) references document(id),
    created_at             timestamp with time zone not null,
    primary key (tenant_id, partner_id, document_type, transaction_id)
);
create index edi_outbound_by_control_ref on edi_outbound (tenant_id, partner_id, control_ref);
