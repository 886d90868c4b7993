package org.tradehub.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.tradehub.canonical.CanonicalSummary;
import org.tradehub.canonical.InvalidTradeTransactionException;
import org.tradehub.canonical.Violation;
import org.tradehub.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a valid transaction still needs before the hub can declare it: every line an HS code (customs refuses a
 * declaration without one, CDS10004). An order whose product is not in the tenant's catalogue is rejected here, with
 * what to do, instead of failing later at the single window; once the product is added, the order is replayed.
 * Only for exports that the hub declares (exporter in GB, see OrderIntake.declarationTarget).
 */
@Component("exportReadiness")
public class ExportReadiness {

    private static final String NS = "urn:tradehub:trade-transaction:1";

    public void check(String canonicalXml) {
        if (!"GB".equals(CanonicalSummary.of(canonicalXml).exporterCountry())) {
            return;
        }
        Document doc = SafeXml.parse(canonicalXml.getBytes(StandardCharsets.UTF_8), SafeXml.DEFAULT_MAX_BYTES);
        NodeList lines = doc.getElementsByTagNameNS(NS, "LineItem");
        List<Violation> missing = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            if (line.getElementsByTagNameNS(NS, "HSCode").getLength() > 0) {
                continue;
            }
            NodeList ids = line.getElementsByTagNameNS(NS, "SellerAssignedID");
            String sku = ids.getLength() == 0 ? null : ids.item(0).getTextContent().trim();
            missing.add(new Violation("LineItem[" + (i + 1) + "]/HSCode", null, "Line " + (i + 1)
                    + (sku == null ? " has no SKU and no HS code" : " (SKU " + sku + ") has no HS code")
                    + ", which the export declaration needs: "
                    + (sku == null ? "send the HS code with the order."
                    : "add " + sku + " to your product catalogue (PUT /api/products/" + sku + " with its hsCode),"
                    + " then replay the order (POST /api/transactions/{id}/replay).")));
        }
        if (!missing.isEmpty()) {
            throw new InvalidTradeTransactionException(missing);
        }
    }
}
