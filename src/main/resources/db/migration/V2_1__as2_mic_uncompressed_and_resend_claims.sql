-- AS2 outbound, compressed before signing: the MIC of the uncompressed entity as well. RFC 5402 has the MIC cover
-- what was signed (the compressed entity), but widespread receivers (as2-lib up to 5.1.x among them) compute it over
-- the entity after decompression; both are digests of exactly what we sent, so either proves receipt.
alter table as2_message add column mic_uncompressed varchar(200);
