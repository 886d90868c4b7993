package org.tradehub.services;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.declaration.Declarations;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.TransactionStatus;

/**
 * The steps of routes/out-customs-broker.yaml a route cannot say: the DMS mapping's input (canonical transaction,
 * the firm's customs profile and the fixed LRN, as the hub's own declaration flow uses them), and the broker
 * template's input (the ServiceInput with the DMS-ready declaration attached).
 */
@Component("customsBrokers")
public class CustomsBrokers {

    static final String SERVICE_INPUT = "hubServiceInput";

    private final Ledger ledger;
    private final Declarations declarations;

    public CustomsBrokers(Ledger ledger, Declarations declarations) {
        this.ledger = ledger;
        this.declarations = declarations;
    }

    /** Keeps the ServiceInput aside; the body becomes the canonical transaction, the headers the DMS parameters. */
    public void dmsInput(Exchange exchange) {
        Message in = exchange.getMessage();
        exchange.setProperty(SERVICE_INPUT, in.getBody(String.class));
        Ledger.TransactionRecord t = ledger.find(exchange.getProperty(ServiceDispatch.TRANSACTION, String.class))
                .orElseThrow();
        declarations.profileParameters(in, t);
        in.setBody(new String(ledger.documentContent(t.canonicalDocumentId()).orElseThrow(), StandardCharsets.UTF_8));
    }

    /** The ServiceInput again, with the (schema-valid) DMS declaration attached for the broker template. */
    public void instructionInput(Exchange exchange) {
        Message in = exchange.getMessage();
        in.setBody(attachDms(exchange.getProperty(SERVICE_INPUT, String.class), in.getHeader("lrn", String.class),
                in.getBody(String.class)));
    }

    /** The ServiceInput with {@code <Attachment name="dms" lrn="...">} holding the DMS declaration. */
    static String attachDms(String serviceInput, String lrn, String dms) {
        String declaration = dms.startsWith("<?xml") ? dms.substring(dms.indexOf("?>") + 2) : dms;
        int end = serviceInput.lastIndexOf("</ServiceInput>");
        return serviceInput.substring(0, end) + "<Attachment name=\"dms\" lrn=\"" + lrn + "\">" + declaration
                + "</Attachment>" + serviceInput.substring(end);
    }

    /**
     * The transaction's declaration status follows the broker's filing like the hub's own: SUBMITTED when the broker
     * took the instruction, ACCEPTED (with the MRN) or REJECTED by its answers. Returns the step's reason for an
     * acceptance (with the MRN), null otherwise. Call inside the answer's database transaction.
     */
    public String outcome(PlanSteps.Step step, String state, String broker, String mrn, String reason) {
        if (!Service.EXPORT_DECLARATION.id.equals(step.service()) || state == null) {
            return null;
        }
        String lrn = Declarations.lrnFor(step.transactionId());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("broker", broker);
        details.put("lrn", lrn);
        switch (state) {
            case PlanSteps.SENT -> declarations.advance(step.transactionId(), TransactionStatus.DECLARATION_SUBMITTED);
            case PlanSteps.ACCEPTED -> {
                declarations.advance(step.transactionId(), TransactionStatus.DECLARATION_ACCEPTED);
                details.put("mrn", mrn);
                String accepted = "Customs accepted declaration " + lrn + (mrn == null ? "" : " (MRN " + mrn + ")")
                        + ", filed by customs broker " + broker + ".";
                ledger.addEvent(step.transactionId(), "DECLARATION_ACCEPTED", accepted, details);
                return accepted;
            }
            case PlanSteps.REJECTED -> {
                ledger.setStatus(step.transactionId(), TransactionStatus.DECLARATION_REJECTED);
                ledger.addEvent(step.transactionId(), "DECLARATION_REJECTED", "The declaration " + lrn + " filed by"
                        + " customs broker " + broker + " was rejected: " + (reason == null ? "no reason given." : reason),
                        details);
            }
            default -> { }
        }
        return null;
    }
}
