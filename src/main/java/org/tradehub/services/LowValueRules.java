package org.tradehub.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;
import org.tradehub.config.HubProperties;

/**
 * De minimis (low-value consignment) thresholds by destination and date, from mappings/lowvalue/de-minimis.csv
 * (see its README): data, read afresh when the file changes.
 */
@Component
public class LowValueRules {

    public record Rule(String destination, LocalDate from, LocalDate to, BigDecimal threshold, String currency,
                       String regime) {}

    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(null, List.of());

    public LowValueRules(HubProperties hub) {
        this.file = hub.mappingsDir().resolve("lowvalue/de-minimis.csv");
    }

    /** The rule for a destination on a date, if any. */
    public Optional<Rule> find(String destination, LocalDate date) {
        return current().stream().filter(r -> r.destination.equals(destination) && !date.isBefore(r.from)
                && (r.to == null || !date.isAfter(r.to))).findFirst();
    }

    private List<Rule> current() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Snapshot s = snapshot;
            if (!modified.equals(s.modified)) {
                List<Rule> rules = new ArrayList<>();
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 1; i < lines.size(); i++) {
                    String[] c = lines.get(i).split(",", 7); // the last column (source) may hold commas
                    if (c.length < 6 || c[0].isBlank()) {
                        continue;
                    }
                    try {
                        rules.add(new Rule(c[0].trim(), LocalDate.parse(c[1].trim()),
                                c[2].isBlank() ? null : LocalDate.parse(c[2].trim()), new BigDecimal(c[3].trim()),
                                c[4].trim(), c[5].trim()));
                    } catch (RuntimeException bad) {
                        throw new IllegalStateException(file + " line " + (i + 1) + " is not a valid rule: "
                                + bad.getMessage(), bad);
                    }
                }
                s = new Snapshot(modified, List.copyOf(rules));
                snapshot = s;
            }
            return s.rules;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read low-value rules " + file, e);
        }
    }

    private record Snapshot(FileTime modified, List<Rule> rules) {}
}
