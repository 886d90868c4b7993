package org.tradehub.services;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

import org.tradehub.declaration.ExchangeRates;
import org.tradehub.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the plan rules, provider choice and consolidation decide on, read from a canonical trade transaction:
 * destination, value (also in GBP, the hub's comparison currency), HS chapters, service level and gross weight.
 */
public record TransactionFacts(String destinationCountry, String currency, BigDecimal grandTotal,
                               BigDecimal valueGbp, Set<String> hsChapters, String serviceLevel, BigDecimal grossKg,
                               String exporterCountry) {

    public static TransactionFacts of(byte[] canonical, ExchangeRates rates) {
        Document doc = SafeXml.parse(canonical, SafeXml.DEFAULT_MAX_BYTES);
        Element root = doc.getDocumentElement();
        Element shipment = child(root, "Shipment");
        String destination = text(shipment, "DestinationCountryID");
        if (destination == null) {
            destination = text(child(child(root, "ShipToTradeParty"), "PostalAddress"), "CountryID");
        }
        if (destination == null) {
            destination = text(child(child(root, "BuyerTradeParty"), "PostalAddress"), "CountryID");
        }
        String currency = text(root, "InvoiceCurrencyCode");
        BigDecimal total = decimal(text(child(root, "MonetarySummation"), "GrandTotalAmount"));
        Set<String> chapters = new LinkedHashSet<>();
        BigDecimal lineKg = BigDecimal.ZERO;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element line && "LineItem".equals(line.getLocalName())) {
                String hs = text(line, "HSCode");
                if (hs != null && hs.length() >= 2) {
                    chapters.add(hs.substring(0, 2));
                }
                // a line's mass is the line's total (canonical schema), gross when known, else net
                BigDecimal kg = kg(child(line, "GrossMass"));
                if (kg == null) {
                    kg = kg(child(line, "NetMass"));
                }
                if (kg != null) {
                    lineKg = lineKg.add(kg);
                }
            }
        }
        BigDecimal grossKg = kg(child(shipment, "GrossMass"));
        String exporter = text(child(child(root, "SellerTradeParty"), "PostalAddress"), "CountryID");
        return new TransactionFacts(destination, currency, total, toGbp(total, currency, rates), Set.copyOf(chapters),
                text(shipment, "ServiceLevel"), grossKg != null ? grossKg : lineKg, exporter);
    }

    public static TransactionFacts of(String canonical, ExchangeRates rates) {
        return of(canonical.getBytes(StandardCharsets.UTF_8), rates);
    }

    /** An amount in GBP by the customs rates file; null when the amount or a rate is missing. */
    public static BigDecimal toGbp(BigDecimal amount, String currency, ExchangeRates rates) {
        if (amount == null || currency == null) {
            return null;
        }
        if ("GBP".equals(currency)) {
            return amount;
        }
        try {
            return amount.multiply(new BigDecimal(rates.gbpPer(currency)), MathContext.DECIMAL64)
                    .setScale(4, RoundingMode.HALF_UP);
        } catch (IllegalStateException noRate) {
            return null;
        }
    }

    /** The lane's service level: the shop's shipping line, or "standard" when it sent none. */
    public String laneServiceLevel() {
        return serviceLevel == null ? "standard" : serviceLevel;
    }

    static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return null;
        }
        String t = e.getTextContent().strip();
        return t.isEmpty() ? null : t;
    }

    /** A mass in kg whatever its UN/ECE Rec 20 unit (KGM, GRM, TNE, LBR); null when absent or unreadable. */
    static BigDecimal kg(Element measure) {
        BigDecimal v = measure == null ? null : decimal(measure.getTextContent().strip());
        if (v == null) {
            return null;
        }
        return switch (measure.getAttribute("unitCode")) {
            case "GRM" -> v.movePointLeft(3);
            case "TNE" -> v.movePointRight(3);
            case "LBR" -> v.multiply(new BigDecimal("0.45359237"));
            default -> v;
        };
    }

    private static BigDecimal decimal(String s) {
        try {
            return s == null ? null : new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
