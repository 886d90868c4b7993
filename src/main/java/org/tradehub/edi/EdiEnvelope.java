package org.tradehub.edi;

/**
 * Interchange envelope data (UN/EDIFACT UNB, X12 ISA), as read: identifiers are trimmed, codes are kept verbatim.
 *
 * @param standard          EDIFACT or X12
 * @param syntaxIdentifier  UNB S001/0001 (UNOA..UNOY); for X12 null
 * @param syntaxVersion     UNB S001/0002 (1-4); for X12 ISA12 (00401, 00501 ...)
 * @param charset           the Java charset the bytes were decoded with
 * @param senderId          UNB S002/0004, ISA06
 * @param senderQualifier   UNB S002/0007, ISA05 (null when absent)
 * @param receiverId        UNB S003/0010, ISA08
 * @param receiverQualifier UNB S003/0007, ISA07 (null when absent)
 * @param date              UNB S004/0017 (YYMMDD or CCYYMMDD), ISA09 (YYMMDD)
 * @param time              UNB S004/0019, ISA10 (HHMM)
 * @param controlRef        UNB 0020, ISA13
 * @param test              UNB 0035 = 1, ISA15 = T
 * @param decimalMark       UNA decimal mark (',' or '.'); '.' for X12
 */
public record EdiEnvelope(String standard, String syntaxIdentifier, String syntaxVersion, String charset,
                          String senderId, String senderQualifier, String receiverId, String receiverQualifier,
                          String date, String time, String controlRef, boolean test, char decimalMark) {
}
