package org.tradehub.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What FileDrops claims for a file it was handed, without a server or a database. */
class FileDropsTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path work;

    /** The claims FileDrops asks for: partner, purpose, name and hash. */
    final List<String> claims = new ArrayList<>();

    final FileReceipts receipts = new FileReceipts(null) {
        @Override
        public Claim claim(String partner, String purpose, String fileName, String sha256, long size, Instant now) {
            claims.add(partner + "/" + purpose + "/" + fileName + "/" + sha256);
            return new Claim("receipt-" + claims.size(), now, false);
        }
    };

    /**
     * The file's receipt is keyed by its hash, so the hash of a part of it would be a second receipt for one file.
     * A copy that is not the file the server listed (a transfer that ended early without an error) must not be
     * claimed at all, and the whole file, taken again, is claimed once.
     */
    @Test
    void aCopyShorterThanTheListedFileIsNeverClaimedAndTheWholeFileIsClaimedOnce() throws Exception {
        FilesProperties config = new FilesProperties(work, 0, 0, 0, 0, null, List.of(partner()));
        FileDrops drops = new FileDrops(new FilePartners(config), receipts, config, Clock.fixed(NOW, ZoneOffset.UTC));
        byte[] file = (ShopifyCsv.HEADER + "\n#1001,b@example.com,paid\n").getBytes(StandardCharsets.UTF_8);

        Exchange cut = pickUp(Arrays.copyOf(file, file.length / 2), file.length);
        assertThatThrownBy(() -> drops.receive(cut)).isInstanceOf(IOException.class)
                .hasMessageContaining("where the server listed " + file.length);
        assertThat(claims).as("claims for a copy cut short").isEmpty();

        Exchange whole = pickUp(file, file.length);
        drops.receive(whole);
        drops.receive(pickUp(file, file.length)); // taken again (a resumed pick-up): the same claim is asked for
        assertThat(claims).containsOnly("acme/orders/export.csv/" + Ledger.sha256(file));
        assertThat(whole.getMessage().getHeader(FileDrops.FILE_HASH)).isEqualTo(Ledger.sha256(file));
    }

    /** A pick-up as Camel hands it over: the local copy, the file's name and the size the server listed. */
    Exchange pickUp(byte[] copy, long listedSize) throws IOException {
        Path local = Files.write(work.resolve("export.csv"), copy);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_LOCAL_WORK_PATH, local.toString());
        exchange.getMessage().setHeader(Exchange.FILE_NAME_ONLY, "export.csv");
        exchange.getMessage().setHeader(Exchange.FILE_LENGTH, listedSize);
        exchange.getMessage().setHeader(WebhookGuard.PARTNER, "acme");
        exchange.getMessage().setHeader(FileDrops.PURPOSE, "orders");
        return exchange;
    }

    static FilesProperties.Partner partner() {
        return new FilesProperties.Partner("acme", "t-acme", "sftp", "127.0.0.1", 22, "acme", null, null, null,
                "known_hosts", null, null, null, "orders", null, null, null, 0, 0, 0, 0, 0, null, null);
    }
}
