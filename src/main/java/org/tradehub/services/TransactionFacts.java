package org.tradehub.services;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

import org.tradehub.canonical.CanonicalSummary;
import org.tradehub.declaration.ExchangeRates;

/**
 * What the plan rules, provider choice and consolidation decide on, read from a canonical trade transaction:
 * destination, value (also in GBP, the hub's comparison currency), HS chapters, service level and gross weight.
 */
public record TransactionFacts(String destinationCountry, String currency, BigDecimal grandTotal,
                               BigDecimal valueGbp, Set<String> hsChapters, String serviceLevel, BigDecimal grossKg,
                               String exporterCountry) {

    /** The facts of a canonical document as summarised (the intake stage has that summary already). */
    public static TransactionFacts of(CanonicalSummary canonical, ExchangeRates rates) {
        Set<String> chapters = new LinkedHashSet<>();
        BigDecimal lineKg = BigDecimal.ZERO;
        for (CanonicalSummary.Line line : canonical.lines()) {
            String hs = line.hsCode();
            if (hs != null && hs.length() >= 2) {
                chapters.add(hs.substring(0, 2));
            }
            // a line's mass is the line's total (canonical schema), gross when known, else net
            BigDecimal kg = kg(line.grossMass());
            if (kg == null) {
                kg = kg(line.netMass());
            }
            if (kg != null) {
                lineKg = lineKg.add(kg);
            }
        }
        BigDecimal grossKg = kg(canonical.shipmentGrossMass());
        String currency = canonical.currency();
        BigDecimal total = canonical.grandTotal();
        return new TransactionFacts(canonical.destinationCountry(), currency, total, toGbp(total, currency, rates),
                Set.copyOf(chapters), canonical.serviceLevel(), grossKg != null ? grossKg : lineKg,
                canonical.exporterCountry());
    }

    /** The facts of a canonical document as stored (UTF-8). */
    public static TransactionFacts of(byte[] canonical, ExchangeRates rates) {
        return of(new String(canonical, StandardCharsets.UTF_8), rates);
    }

    public static TransactionFacts of(String canonical, ExchangeRates rates) {
        return of(CanonicalSummary.of(canonical), rates);
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

    /** A mass in kg whatever its UN/ECE Rec 20 unit (KGM, GRM, TNE, LBR); null when absent or unreadable. */
    static BigDecimal kg(CanonicalSummary.Mass measure) {
        BigDecimal v = measure == null ? null : decimal(measure.value());
        if (v == null) {
            return null;
        }
        return switch (measure.unitCode()) {
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
