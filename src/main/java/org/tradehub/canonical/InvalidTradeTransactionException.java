package org.tradehub.canonical;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link CanonicalValidator#check(String)}; carries every violation found, not just the first. */
public class InvalidTradeTransactionException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidTradeTransactionException(List<Violation> violations) {
        super("Invalid trade transaction: " + violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> getViolations() {
        return violations;
    }
}
