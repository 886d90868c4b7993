-- File channels, batched queueing. Same SQL on H2 (MODE=PostgreSQL) and PostgreSQL.
-- How many records of a file are committed on the broker: a pick-up resumed after a crash skips them, and only the
-- batch in flight at the crash is offered again (the broker refuses its duplicates).
alter table file_receipt add column queued_records integer default 0 not null;
