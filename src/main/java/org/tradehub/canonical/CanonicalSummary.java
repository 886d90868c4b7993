package org.tradehub.canonical;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.tradehub.xml.SafeXml;

/**
 * The few facts of a canonical trade transaction the ledger indexes and the pipeline routes on, read in one
 * streaming pass: the intake stage's export readiness, ledger record and service plan all answer from it
 * (TransactionFacts). Tolerant: on a document that failed validation it returns what it can find.
 */
public record CanonicalSummary(
        String externalOrderId,
        String externalOrderNumber,
        String currency,
        BigDecimal grandTotal,
        String destinationCountry,
        String exporterCountry,
        List<String> skus,
        List<Line> lines,
        Mass shipmentGrossMass,
        String serviceLevel) {

    /** One LineItem: its SKU, HS code and masses (each the line's total, canonical schema); null where absent. */
    public record Line(String sku, String hsCode, Mass netMass, Mass grossMass) {}

    /** A mass as written: its value (stripped) and its UN/ECE Rec 20 unit code (attribute unitCode, "" if none). */
    public record Mass(String value, String unitCode) {}

    private static final XMLInputFactory STAX = SafeXml.xmlInputFactory();
    /** The local names of the elements read below: a case whose last step is not here is never reached. */
    private static final java.util.Set<String> LEAVES = java.util.Set.of("ExternalOrderID", "ExternalOrderNumber",
            "InvoiceCurrencyCode", "GrandTotalAmount", "DestinationCountryID", "CountryID", "SellerAssignedID", "HSCode",
            "NetMass", "GrossMass", "ServiceLevel");

    /**
     * The last summary read on this thread, by identity of the text: the intake stage asks three times about the
     * same document (export readiness, the ledger record, the declaration target), and each read is a full pass.
     * Only documents of ordinary size are remembered, so an idle thread never holds on to a large one.
     */
    private static final ThreadLocal<Last> LAST = new ThreadLocal<>();
    private static final int REMEMBERED_CHARS = 256 * 1024;

    private record Last(String xml, CanonicalSummary summary) {}

    public static CanonicalSummary of(String canonicalXml) {
        Last last = LAST.get();
        if (last != null && last.xml() == canonicalXml) {
            return last.summary();
        }
        CanonicalSummary summary = read(canonicalXml);
        LAST.set(canonicalXml != null && canonicalXml.length() <= REMEMBERED_CHARS ? new Last(canonicalXml, summary) : null);
        return summary;
    }

    private static CanonicalSummary read(String canonicalXml) {
        String externalId = null, number = null, currency = null, destination = null, exporter = null;
        String shipTo = null, buyer = null, serviceLevel = null;
        BigDecimal total = null;
        Mass shipmentGross = null;
        List<String> skus = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        // the LineItem being read
        String sku = null, hsCode = null;
        Mass netMass = null, grossMass = null;
        Deque<String> path = new ArrayDeque<>();
        try {
            XMLStreamReader r = STAX.createXMLStreamReader(new StringReader(canonicalXml));
            try {
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamReader.START_ELEMENT) {
                        path.addLast(r.getLocalName());
                        if (!LEAVES.contains(r.getLocalName())) {
                            continue; // the path is joined only where it can matter: once per element was a tenth of the read
                        }
                        String p = String.join("/", path);
                        switch (p) {
                            case "TradeTransaction/Source/ExternalOrderID" -> externalId = text(r, path);
                            case "TradeTransaction/Source/ExternalOrderNumber" -> number = text(r, path);
                            case "TradeTransaction/InvoiceCurrencyCode" -> currency = text(r, path);
                            case "TradeTransaction/MonetarySummation/GrandTotalAmount" -> total = decimal(text(r, path));
                            case "TradeTransaction/Shipment/DestinationCountryID" -> destination = text(r, path);
                            case "TradeTransaction/SellerTradeParty/PostalAddress/CountryID" -> exporter = text(r, path);
                            case "TradeTransaction/ShipToTradeParty/PostalAddress/CountryID" -> shipTo = text(r, path);
                            case "TradeTransaction/BuyerTradeParty/PostalAddress/CountryID" -> buyer = text(r, path);
                            case "TradeTransaction/LineItem/SellerAssignedID" -> {
                                sku = text(r, path);
                                skus.add(sku);
                            }
                            case "TradeTransaction/LineItem/HSCode" -> hsCode = stripped(r, path);
                            case "TradeTransaction/LineItem/NetMass" -> netMass = mass(r, path);
                            case "TradeTransaction/LineItem/GrossMass" -> grossMass = mass(r, path);
                            case "TradeTransaction/Shipment/GrossMass" -> shipmentGross = mass(r, path);
                            case "TradeTransaction/Shipment/ServiceLevel" -> serviceLevel = stripped(r, path);
                            default -> { }
                        }
                    } else if (event == XMLStreamReader.END_ELEMENT) {
                        if (path.size() == 2 && "LineItem".equals(path.peekLast())) {
                            lines.add(new Line(sku, hsCode, netMass, grossMass));
                            sku = hsCode = null;
                            netMass = grossMass = null;
                        }
                        path.pollLast();
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException notWellFormed) {
            // keep what was read so far
        }
        if (destination == null) {
            destination = shipTo != null ? shipTo : buyer;
        }
        return new CanonicalSummary(externalId, number, currency, total, destination, exporter, List.copyOf(skus),
                List.copyOf(lines), shipmentGross, serviceLevel);
    }

    private static String text(XMLStreamReader r, Deque<String> path) throws XMLStreamException {
        String value = r.getElementText().trim(); // leaves the reader on the END_ELEMENT
        path.pollLast();
        return value.isEmpty() ? null : value;
    }

    /** As {@link #text}, but String.strip: the facts the service plan decides on always stripped their values. */
    private static String stripped(XMLStreamReader r, Deque<String> path) throws XMLStreamException {
        String value = r.getElementText().strip();
        path.pollLast();
        return value.isEmpty() ? null : value;
    }

    private static Mass mass(XMLStreamReader r, Deque<String> path) throws XMLStreamException {
        String unit = r.getAttributeValue(null, "unitCode");
        return new Mass(stripped(r, path), unit == null ? "" : unit);
    }

    private static BigDecimal decimal(String value) {
        try {
            return value == null ? null : new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
