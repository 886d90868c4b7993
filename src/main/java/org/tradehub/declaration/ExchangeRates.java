package org.tradehub.declaration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.tradehub.config.HubProperties;

/**
 * Customs exchange rates from mappings/rates/gbp-exchange-rates.csv (see its README): data an operator replaces
 * monthly, read afresh whenever the file changes, so no restart is needed.
 */
@Component
public class ExchangeRates {

    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(null, Map.of());

    public ExchangeRates(HubProperties hub) {
        this.file = hub.mappingsDir().resolve("rates/gbp-exchange-rates.csv");
    }

    /** GBP per one unit of the currency, as a decimal string for the mapping; fails with a clear reason if unknown. */
    public String gbpPer(String currency) {
        BigDecimal unitsPerGbp = current().get(currency);
        if (unitsPerGbp == null || unitsPerGbp.signum() <= 0) {
            throw new IllegalStateException("No customs exchange rate for " + currency + " in " + file
                    + ": add HMRC's monthly rate for it and replay the declaration.");
        }
        return BigDecimal.ONE.divide(unitsPerGbp, MathContext.DECIMAL64).toPlainString();
    }

    private Map<String, BigDecimal> current() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Snapshot s = snapshot;
            if (!modified.equals(s.modified)) {
                Map<String, BigDecimal> rates = new HashMap<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] cols = line.split(",");
                    if (cols.length >= 2 && cols[0].trim().matches("[A-Z]{3}")) {
                        rates.put(cols[0].trim(), new BigDecimal(cols[1].trim()));
                    }
                }
                s = new Snapshot(modified, Map.copyOf(rates));
                snapshot = s;
            }
            return s.rates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read customs exchange rates " + file, e);
        }
    }

    private record Snapshot(FileTime modified, Map<String, BigDecimal> rates) {}
}
