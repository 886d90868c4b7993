package org.tradehub.intake;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.tradehub.canonical.CanonicalSummary;
import org.tradehub.canonical.InvalidTradeTransactionException;
import org.tradehub.canonical.Violation;

/**
 * What a valid transaction still needs before the hub can declare it: every line an HS code (customs refuses a
 * declaration without one, CDS10004). An order whose product is not in the tenant's catalogue is rejected here, with
 * what to do, instead of failing later at the single window; once the product is added, the order is replayed.
 * Only for exports that the hub declares (exporter in GB, see OrderIntake.declarationTarget).
 */
@Component("exportReadiness")
public class ExportReadiness {

    /** Runs after the canonical validator: the document is valid, so its summary has every line as written. */
    public void check(String canonicalXml) {
        CanonicalSummary summary = CanonicalSummary.of(canonicalXml);
        if (!"GB".equals(summary.exporterCountry())) {
            return;
        }
        List<Violation> missing = new ArrayList<>();
        for (int i = 0; i < summary.lines().size(); i++) {
            CanonicalSummary.Line line = summary.lines().get(i);
            if (line.hsCode() != null) {
                continue;
            }
            String sku = line.sku();
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
