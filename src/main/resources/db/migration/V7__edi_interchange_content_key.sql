-- EDI, third step: a resent interchange is recognised by what the partner sent, not by what the hub made of it.
-- Same SQL for H2 (MODE=PostgreSQL) and PostgreSQL, as V1.

-- payload_sha256 of an interchange was a hash of the hub's own reading of it: its envelope record, its message XML and
-- its error texts. The message XML changed shape in an upgrade (positional message XML), and with it the hash, so an
-- interchange received before the upgrade and resent after it was recorded as a second interchange. content_sha256
-- is the key of its segments as sent (edi/InterchangeKey: independent of separators, line breaks and anything the hub
-- writes), or of the payload's bytes when it was not read to its end. For a row recorded before this version it is
-- null until an interchange with the same partner and control number arrives: the hub then reads the row's stored
-- payload again and fills it in (EdiInterchanges.storedKey), so the upgrade does not read the whole history.
-- payload_sha256 stays what the row was recorded under: the de-duplication keys of its orders carry its first 16
-- characters, and a resend must find them. For rows recorded from this version on, the two are the same.
alter table edi_interchange add column content_sha256 varchar(64);
