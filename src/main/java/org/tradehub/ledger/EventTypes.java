package org.tradehub.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every type of timeline event the hub records, with its group and what it means to the firm: what a firm can name
 * in its event subscription's filter ({@code GET /api/event-types}, README: Event notifications). A type recorded
 * but missing here is still recorded and sent to unfiltered subscriptions; the ledger logs it once, and
 * EventTypesTest finds the types the code names so that none is left out.
 */
public final class EventTypes {

    private static final Logger LOG = LoggerFactory.getLogger(EventTypes.class);

    /** One event type: its group (order, declaration, services, partners, operations) and meaning. */
    public record Type(String type, String group, String meaning) {}

    private static final Map<String, Type> TYPES = new LinkedHashMap<>();
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private static void add(String group, String type, String meaning) {
        TYPES.put(type, new Type(type, group, meaning));
    }

    static {
        add("order", "RECEIVED", "An order came in from a channel (web shop, EDI, file drop, manual entry).");
        add("order", "VALIDATED", "The order is a complete trade transaction, its codes checked against the code lists.");
        add("order", "REJECTED", "The order cannot be used for export; the reasons say what to fix, then replay it.");
        add("order", "SOURCE_UPDATE", "The source sent a change of an order already recorded.");
        add("order", "SOURCE_WARNING", "The source sent something the hub took but you should look at.");
        add("order", "PLAN_DECIDED", "The services this transaction needs were planned.");
        add("order", "NO_SINGLE_WINDOW", "No single window is configured for the exporter's country.");

        add("declaration", "DECLARATION_SUBMITTED", "The export declaration was sent to the single window.");
        add("declaration", "DECLARATION_REFUSED", "The single window refused the declaration on receipt (not recorded by customs).");
        add("declaration", "DECLARATION_RECEIVED", "Customs received the declaration (DMSRCV, CUSRES).");
        add("declaration", "DECLARATION_ACCEPTED", "Customs accepted the declaration (DMSACC, CUSRES, or a broker's filing).");
        add("declaration", "DECLARATION_REJECTED", "Customs rejected the declaration; the reasons say why.");
        add("declaration", "DECLARATION_UNDER_CONTROL", "Customs holds the declaration for a check or asks for documents.");
        add("declaration", "DECLARATION_CORRECTED", "Customs corrected the declaration.");
        add("declaration", "DECLARATION_CLEARED", "Customs cleared the declaration.");
        add("declaration", "DECLARATION_INVALIDATED", "The declaration was invalidated.");
        add("declaration", "DECLARATION_RESUBMISSION_REFUSED", "A repeated submission was refused because customs has the first.");
        add("declaration", "DECLARATION_PARKED", "The declaration could not be delivered after every retry; it waits for replay.");
        add("declaration", "GOODS_RELEASED", "Customs released the goods for export.");
        add("declaration", "GOODS_EXITED", "The goods left the customs territory.");
        add("declaration", "EXIT_NOTICE", "The single window sent an exit notice (DMSGER).");
        add("declaration", "REQUEST_ACCEPTED", "Customs accepted a request about the declaration.");
        add("declaration", "DUTY_CALCULATED", "Customs calculated the duty and taxes.");
        add("declaration", "PAYMENT_INSUFFICIENT", "Customs found the payment insufficient.");
        add("declaration", "PAYMENT_REMINDER", "Customs sent a payment reminder.");
        add("declaration", "NOTIFICATION_RECEIVED", "The single window sent a notification of a kind the hub does not know.");

        add("services", "PROVIDER_CHOSEN", "A provider was chosen for a service (broker, forwarder, insurer, bank ...).");
        add("services", "SERVICE_SENT", "A service request was sent to its provider.");
        add("services", "SERVICE_ACKNOWLEDGED", "The provider acknowledged the request.");
        add("services", "SERVICE_ACCEPTED", "The provider accepted the request.");
        add("services", "SERVICE_DONE", "The provider completed the service.");
        add("services", "SERVICE_INFO", "The provider sent information about the request.");
        add("services", "SERVICE_REJECTED", "The provider rejected the request, or no provider serves it.");
        add("services", "SERVICE_FAILED", "The request could not be delivered after every retry; it waits for replay.");
        add("services", "SERVICE_RESUMED", "A parked request is sent again with the same reference.");
        add("services", "SERVICE_RETRY_REQUESTED", "A failed step was re-run.");
        add("services", "ANSWER_RECEIVED", "A provider's answer file arrived.");
        add("services", "ANSWER_DUPLICATE", "A provider's answer arrived again; kept, not applied twice.");
        add("services", "ANSWER_CONFLICT", "A provider's answer came after the step was final; not applied.");
        add("services", "ANSWER_SUPERSEDED", "A provider's answer was overtaken by a later one.");
        add("services", "CONSOLIDATION_JOINED", "The order waits in a consolidated freight booking for its lane.");
        add("services", "CONSOLIDATION_CLOSED", "The consolidated booking closed and was booked as one shipment.");
        add("services", "DELIVERY_PARKED", "A processing step failed after every retry; it waits for replay.");

        add("partners", "ORDER_RESPONSE_SENT", "The EDI buyer was sent an order response (ORDRSP, 855).");
        add("partners", "EDI_RESENT", "An EDI document was queued again for its partner, byte for byte.");
        add("partners", "EDI_ACKNOWLEDGED", "The partner acknowledged an EDI document (CONTRL, 997).");
        add("partners", "EDI_REJECTED_BY_PARTNER", "The partner rejected an EDI document (CONTRL, 997).");
        add("partners", "EDI_DUPLICATE_REFUSED", "The partner refused a copy of an interchange it already has.");
        add("partners", "AS2_SENT", "A document was sent to an AS2 partner.");
        add("partners", "AS2_DELIVERED", "The AS2 partner confirmed receipt (MDN).");
        add("partners", "AS2_REJECTED", "The AS2 partner's MDN reported an error.");
        add("partners", "MDN_OVERDUE", "The AS2 partner's MDN did not come in time; parked for replay.");
        add("partners", "DOCUMENT_SENT", "A document was delivered as a file (FTP, FTPS, SFTP).");

        add("operations", "REPLAYED", "A parked message was put back on its queue.");
        add("operations", "DISCARDED", "A parked message was discarded.");
        add("operations", "REPLAY_REQUESTED", "A rejected order was sent through intake again.");
    }

    private EventTypes() {}

    public static List<Type> all() {
        return List.copyOf(TYPES.values());
    }

    public static boolean known(String type) {
        return TYPES.containsKey(type);
    }

    /** Logs, once per type, an event type recorded that is not in this list (a filter cannot name it). */
    static void noteRecorded(String type) {
        if (!TYPES.containsKey(type) && WARNED.add(type)) {
            LOG.warn("Timeline event type {} is not in EventTypes: event subscriptions cannot filter on it", type);
        }
    }
}
