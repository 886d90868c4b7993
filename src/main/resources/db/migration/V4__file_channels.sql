-- File channels (FTP, FTPS, SFTP). Same SQL on H2 (MODE=PostgreSQL) and PostgreSQL.

-- Leadership leases of the cluster singletons (one file poller per partner across all hub instances). The holder
-- renews its lease well before expires_at; when an instance dies its lease runs out and another one takes over.
create table cluster_lease (
    namespace          varchar(200) primary key,
    owner              varchar(200) not null,
    expires_at         timestamp with time zone not null
);

-- Every file taken from a partner's server, keyed by partner, purpose, name and content hash: the same file is never
-- processed twice (across restarts and instances), while the same name with new content is a new file.
-- status: RECEIVING (claimed, its records being queued; resumed after a crash), DONE, ERROR (unreadable; reason).
create table file_receipt (
    id                 varchar(36) primary key,
    partner_id         varchar(64) not null,
    purpose            varchar(16) not null,
    file_name          varchar(500) not null,
    sha256             varchar(64) not null,
    size_bytes         bigint not null,
    format             varchar(64),
    status             varchar(16) not null,
    records            integer,
    reason             varchar(4000),
    archived_as        varchar(600),
    received_at        timestamp with time zone not null,
    completed_at       timestamp with time zone,
    constraint one_receipt_per_file_content unique (partner_id, purpose, file_name, sha256)
);
create index file_receipt_by_partner on file_receipt (partner_id, received_at);

-- Documents written to a partner's inbox: a redelivered outbound message finds its file here and is not written again.
create table file_sent (
    partner_id         varchar(64) not null,
    file_name          varchar(500) not null,
    sha256             varchar(64) not null,
    transaction_id     varchar(36),
    document_type      varchar(32),
    sent_at            timestamp with time zone not null,
    primary key (partner_id, file_name, sha256)
);
