package org.tradehub.intake;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.tradehub.canonical.CanonicalSummary;
import org.tradehub.canonical.InvalidTradeTransactionException;
import org.tradehub.canonical.Violation;

/**
 * What a valid transaction still needs before the hub can declare it: every line the 8-digit commodity code of the UK
 * tariff (customs refuses a declaration without one, or with the 6-digit HS code alone: CDS10004). An order whose
 * product is not in the tenant's catalogue, or only with 6 digits, is rejected here, with what to do, instead of
 * being declared and rejected by customs (a rejected declaration stays on the firm's record there); once the
 * catalogue has the code, the order is replayed. Only for exports that the hub declares (exporter in GB, see
 * OrderIntake.declarationTarget).
 */
@Component("exportReadiness")
public class ExportReadiness {

    /** DE 6/14: the UK (and EU) commodity code, HS 6 digits and 2 of the tariff's own. */
    private static final int UK_COMMODITY_CODE_DIGITS = 8;

    /** Runs after the canonical validator: the document is valid, so its summary has every line as written. */
    public void check(String canonicalXml) {
        CanonicalSummary summary = CanonicalSummary.of(canonicalXml);
        if (!"GB".equals(summary.exporterCountry())) {
            return;
        }
        List<Violation> missing = new ArrayList<>();
        for (int i = 0; i < summary.lines().size(); i++) {
            CanonicalSummary.Line line = summary.lines().get(i);
            String sku = line.sku();
            if (line.hsCode() != null && line.hsCode().length() >= UK_COMMODITY_CODE_DIGITS) {
                continue;
            }
            if (line.hsCode() != null) {
                missing.add(new Violation("LineItem[" + (i + 1) + "]/HSCode", line.hsCode(), "Line " + (i + 1)
                        + (sku == null ? "" : " (SKU " + sku + ")") + " has the " + line.hsCode().length()
                        + "-digit HS code " + line.hsCode() + ", but a UK export declaration needs the 8-digit"
                        + " commodity code of the UK Trade Tariff (" + line.hsCode() + " and two more digits): "
                        + (sku == null ? "send it with the order."
                        : "add it to your product catalogue (PUT /api/products/" + sku + " with its hsCode), then"
                        + " replay the order (POST /api/transactions/{id}/replay).")));
                continue;
            }
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
