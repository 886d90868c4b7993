package org.tradehub.edi;

import java.util.List;
import javax.xml.transform.Source;

/**
 * One business message and its segments as a small XML document (see {@link EdiReader} for the shape).
 *
 * @param standard              EDIFACT or X12
 * @param type                  UNH 0065 (ORDERS) / ST01 (850)
 * @param version               UNH 0052 (D) / GS08 (004010)
 * @param release               UNH 0054 (96A); null for X12
 * @param agency                UNH 0051 (UN) / GS07 (X)
 * @param association           UNH 0057 (EAN008); ST03 for X12 5010; null when absent
 * @param controlRef            UNH 0062 / ST02
 * @param groupControlRef       UNG 0048 / GS06; null outside a group
 * @param interchangeControlRef UNB 0020 / ISA13
 * @param index                 1-based position of the message in the interchange
 * @param segmentCount          segments actually read, UNH..UNT / ST..SE inclusive
 * @param xml                   the message as XML
 * @param errors                errors scoped to this message (empty when it is fine)
 */
public record EdiMessage(String standard, String type, String version, String release, String agency,
                         String association, String controlRef, String groupControlRef,
                         String interchangeControlRef, int index, int segmentCount, String xml,
                         List<EdiError> errors) {

    public EdiMessage {
        errors = List.copyOf(errors);
    }

    /** True when the message had no structural errors and may be mapped. */
    public boolean accepted() {
        return errors.isEmpty();
    }

    /** The XML as a fresh {@link Source}, e.g. for a Saxon transformer. */
    public Source asSource() {
        return MessageXml.source(xml);
    }
}
