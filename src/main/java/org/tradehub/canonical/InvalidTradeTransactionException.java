package org.tradehub.canonical;

import java.util.List;

/** TEMPORARY stand-in until the validator branch is merged. */
public class InvalidTradeTransactionException extends RuntimeException {
    private final List<Violation> violations;

    public InvalidTradeTransactionException(List<Violation> violations) {
        super(String.join("; ", violations.stream().map(Violation::message).toList()));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
