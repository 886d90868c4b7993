package org.tradehub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The summary the ledger indexes and the intake routes on; read once per document and thread, asked for often. */
class CanonicalSummaryTest {

    private static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/golden", name));
    }

    @Test
    void eachDocumentGetsItsOwnSummaryWhateverWasReadBefore() throws Exception {
        String shopify = golden("shopify-orders-create-2024-07.xml");
        String woo = golden("woocommerce-order-de-to-ch-paid.xml");
        CanonicalSummary first = CanonicalSummary.of(shopify);
        assertThat(first.externalOrderNumber()).isEqualTo("#9999");
        assertThat(first.currency()).isEqualTo("USD");
        assertThat(CanonicalSummary.of(shopify)).isSameAs(first);

        CanonicalSummary second = CanonicalSummary.of(woo);
        assertThat(second.currency()).isEqualTo("EUR");
        assertThat(second.destinationCountry()).isEqualTo("CH");
        // an equal text in another String is read again, with the same result
        assertThat(CanonicalSummary.of(new String(shopify))).isEqualTo(first).isNotSameAs(first);
    }

    @Test
    void whatIsNotADocumentGivesAnEmptySummary() {
        assertThat(CanonicalSummary.of(null).currency()).isNull();
        assertThat(CanonicalSummary.of("<TradeTransaction><Source>").externalOrderId()).isNull();
        assertThat(CanonicalSummary.of("not xml").skus()).isEmpty();
    }

    @Test
    void everyLineIsSummarisedWithItsSkuHsCodeAndMasses() throws Exception {
        CanonicalSummary summary = CanonicalSummary.of(golden("shopify-orders-create-2024-07.xml"));
        assertThat(summary.lines()).hasSameSizeAs(summary.skus()).isNotEmpty();
        assertThat(summary.lines()).extracting(CanonicalSummary.Line::sku).isEqualTo(summary.skus());
    }
}
