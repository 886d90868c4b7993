package org.tradehub.consent;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's consent for one bank to read its transaction history. In force from {@code validFrom} (inclusive) to
 * {@code validUntil} (exclusive) unless revoked; limited to {@code statuses} and {@code fields} (null: all) and to
 * transactions received in [{@code historyFrom}, {@code historyUntil}) (null bounds: open).
 */
public record Consent(String id, String tenantId, String bankId, Instant validFrom, Instant validUntil,
                      List<String> statuses, List<String> fields, Instant historyFrom, Instant historyUntil,
                      String purpose, Instant createdAt, Instant revokedAt) {

    public enum State { PENDING, ACTIVE, EXPIRED, REVOKED }

    public State stateAt(Instant now) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        if (now.isBefore(validFrom)) {
            return State.PENDING;
        }
        return now.isBefore(validUntil) ? State.ACTIVE : State.EXPIRED;
    }
}
