-- AS2 (RFC 4130) partner profiles and the AS2 messages exchanged with them.

-- One profile per AS2 partner (a trading partner or a single window). Certificates and keys are not stored here:
-- the profile names them by alias in the hub's PKCS12 keystore (hub.as2.keystore).
create table as2_partner (
    partner_id              varchar(100) primary key,
    tenant_id               varchar(64)  not null references tenant(id),
    as2_id                  varchar(128) not null,   -- the partner's AS2 name (AS2-From on what it sends us)
    our_as2_id              varchar(128) not null,   -- our AS2 name towards this partner (AS2-To on what it sends)
    url                     varchar(1000),           -- the partner's AS2 endpoint for what we send
    partner_cert_alias      varchar(200) not null,   -- verifies its signatures, encrypts what we send it
    our_key_alias           varchar(200) not null,   -- decrypts what it sends, signs our messages and MDNs
    require_signature       boolean      not null,
    require_encryption      boolean      not null,
    sign_outbound           boolean      not null,
    encrypt_outbound        boolean      not null,
    compress_outbound       varchar(16)  not null,   -- none | before-signing | after-signing
    signing_algorithm       varchar(16)  not null,   -- sha-256 | sha-384 | sha-512 | sha-1
    encryption_algorithm    varchar(32)  not null,   -- aes128-cbc | aes192-cbc | aes256-cbc | 3des
    mdn_mode                varchar(8)   not null,   -- what we ask for when sending: none | sync | async
    mdn_signed              boolean      not null,   -- ask the partner to sign its MDN (and then require it)
    mdn_timeout_seconds     integer      not null,
    created_at              timestamp with time zone not null,
    updated_at              timestamp with time zone not null,
    constraint as2_partner_ids unique (as2_id, our_as2_id)
);

-- Every AS2 message in either direction. Inbound: one row per (partner, Message-ID), so a resend with the same id
-- is recognised and answered again without being queued twice. Outbound: the state of the MDN we wait for.
create table as2_message (
    id                      varchar(36)  primary key,
    direction               varchar(8)   not null,   -- IN | OUT
    partner_id              varchar(100) not null references as2_partner(partner_id),
    message_id              varchar(998) not null,
    payload_sha256          varchar(64)  not null,
    mic                     varchar(200),            -- base64 MIC and its algorithm, as in the MDN
    mic_algorithm           varchar(16),
    status                  varchar(24)  not null,   -- IN: RECEIVED; OUT: SENT, AWAITING_MDN, DELIVERED, REJECTED, MDN_OVERDUE
    disposition             varchar(300),
    tenant_id               varchar(64)  not null,
    document_type           varchar(32),             -- OUT: hubDocumentType (CONTRL, ORDRSP, CUSDEC, ...)
    content_type            varchar(200),
    file_name               varchar(255),
    transaction_id          varchar(36),
    document_id             varchar(36),             -- OUT: the ledger document sent (resent from there)
    receipt_id              varchar(36),
    attempts                integer      not null,
    mdn_due_at              timestamp with time zone,
    created_at              timestamp with time zone not null,
    updated_at              timestamp with time zone not null,
    constraint as2_message_unique unique (direction, partner_id, message_id)
);
create index as2_message_due on as2_message (status, mdn_due_at);
