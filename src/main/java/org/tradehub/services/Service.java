package org.tradehub.services;

import java.util.Arrays;
import java.util.Optional;

/**
 * The services a transaction's plan can hold. Each (the declaration when a customs broker files it) has a queue
 * {@code hub.services.<id>}, a flow file, a mapping template {@code mappings/outbound/canonical-to-<document>.xsl}
 * and a schema {@code mappings/schemas/services/<document>.xsd}.
 */
public enum Service {
    /** Filed by the hub itself (declaration flows), or by a customs broker (out-customs-broker) on subscription. */
    EXPORT_DECLARATION("export-declaration", "declaration-instruction", "CUSDEC", "export declaration"),
    FX_SETTLEMENT_FILING("fx-settlement-filing", "fx-settlement-filing", "FXSETTLEMENT", "foreign-exchange settlement filing"),
    VAT_REFUND_FILING("vat-refund-filing", "vat-refund-filing", "VATREFUND", "VAT refund filing"),
    FREIGHT_BOOKING("freight-booking", "booking-request", "BOOKING", "freight booking"),
    INSURANCE("insurance", "insurance-request", "INSURANCE", "cargo insurance"),
    FINANCING("financing", "financing-request", "FINANCING", "trade financing");

    public final String id;
    /** The document the provider receives (template and schema name). */
    public final String document;
    /** hubDocumentType on the outbound channel queues. */
    public final String documentType;
    public final String label;

    Service(String id, String document, String documentType, String label) {
        this.id = id;
        this.document = document;
        this.documentType = documentType;
        this.label = label;
    }

    public static Optional<Service> of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
