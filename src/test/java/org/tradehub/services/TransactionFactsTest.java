package org.tradehub.services;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.tradehub.declaration.ExchangeRates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** The facts the plan rules and lanes decide on, read from the canonical document's one streaming summary. */
class TransactionFactsTest {

    private static final ExchangeRates RATES = mock(ExchangeRates.class);

    private static String order(String shipment, String... lines) {
        return "<TradeTransaction xmlns=\"urn:tradehub:trade-transaction:1\" schemaVersion=\"1.0\">"
                + "<Source><Channel>shopify</Channel><Format>shopify-order</Format><ExternalOrderID>1</ExternalOrderID>"
                + "</Source><IssueDateTime>2024-07-01T10:00:00Z</IssueDateTime>"
                + "<SellerTradeParty><Name>S</Name><PostalAddress><CountryID>GB</CountryID></PostalAddress></SellerTradeParty>"
                + "<BuyerTradeParty><Name>B</Name><PostalAddress><CountryID>US</CountryID></PostalAddress></BuyerTradeParty>"
                + "<ShipToTradeParty><Name>C</Name><PostalAddress><CountryID>CA</CountryID></PostalAddress></ShipToTradeParty>"
                + "<InvoiceCurrencyCode>GBP</InvoiceCurrencyCode>" + String.join("", lines)
                + "<MonetarySummation><LineTotalAmount>30</LineTotalAmount><GrandTotalAmount> 30.50 </GrandTotalAmount>"
                + "</MonetarySummation>" + shipment + "</TradeTransaction>";
    }

    private static String line(String hs, String masses) {
        return "<LineItem><LineID>1</LineID><SellerAssignedID>SKU</SellerAssignedID><Description>d</Description>"
                + (hs == null ? "" : "<HSCode>" + hs + "</HSCode>")
                + "<Quantity unitCode=\"H87\">1</Quantity><UnitPrice>10</UnitPrice><LineAmount>10</LineAmount>"
                + masses + "</LineItem>";
    }

    @Test
    void linesGiveTheWeightInKilogramsGrossBeforeNetAndTheHsChapters() {
        TransactionFacts f = TransactionFacts.of(order("",
                line("610910", "<NetMass unitCode=\"KGM\">1</NetMass><GrossMass unitCode=\"GRM\">1500</GrossMass>"),
                line(" 9102 ", "<NetMass unitCode=\"TNE\">0.002</NetMass>"),
                line(null, "<GrossMass unitCode=\"LBR\">1</GrossMass>"),
                line("610990", "")), RATES);

        assertThat(f.grossKg()).isEqualByComparingTo(new BigDecimal("1.5").add(new BigDecimal("2"))
                .add(new BigDecimal("0.45359237")));
        assertThat(f.hsChapters()).containsExactlyInAnyOrder("61", "91");
        assertThat(f.destinationCountry()).isEqualTo("CA"); // no shipment destination: the ship-to's country
        assertThat(f.exporterCountry()).isEqualTo("GB");
        assertThat(f.grandTotal()).isEqualByComparingTo("30.50");
        assertThat(f.valueGbp()).isEqualByComparingTo("30.50");
        assertThat(f.serviceLevel()).isNull();
        assertThat(f.laneServiceLevel()).isEqualTo("standard");
    }

    @Test
    void theShipmentsOwnGrossMassDestinationAndServiceLevelWin() {
        TransactionFacts f = TransactionFacts.of(order("<Shipment><GrossMass unitCode=\"GRM\">2500</GrossMass>"
                        + "<ServiceLevel> express </ServiceLevel><DestinationCountryID>JP</DestinationCountryID></Shipment>",
                line("610910", "<GrossMass unitCode=\"KGM\">9</GrossMass>")), RATES);

        assertThat(f.grossKg()).isEqualByComparingTo("2.5");
        assertThat(f.destinationCountry()).isEqualTo("JP");
        assertThat(f.serviceLevel()).isEqualTo("express");
    }
}
