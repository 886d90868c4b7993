package org.tradehub.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.tradehub.config.HubProperties;
import org.tradehub.tenant.TenantDirectory;

/**
 * With sandbox peers on, a first start creates the tenant "demo" (a GB exporter with a small product catalogue)
 * and writes its freshly generated API key and webhook secrets to data/sandbox-credentials.env, readable only by
 * the user, so a new user can post a sample webhook at once. No credential is in the repository.
 */
@Component
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SandboxTenant implements ApplicationRunner {

    public static final String ID = "demo";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxTenant.class);

    private final TenantDirectory tenants;
    private final HubProperties hub;

    public SandboxTenant(TenantDirectory tenants, HubProperties hub) {
        this.tenants = tenants;
        this.hub = hub;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (tenants.exists(ID)) {
            return;
        }
        String apiKey = tenants.create(ID, "Demo Exports Ltd (sandbox)");
        String shopify = TenantDirectory.randomToken();
        String woo = TenantDirectory.randomToken();
        tenants.rotateWebhookSecret(ID, "shopify", shopify, Duration.ZERO);
        tenants.rotateWebhookSecret(ID, "woocommerce", woo, Duration.ZERO);
        // An exporter profile in the shape of HMRC's own test scenarios (EORI, Dover exit office, procedure 1040).
        tenants.saveExporterProfile(ID, new TenantDirectory.ExporterProfile("Demo Exports Ltd", "GB427168118378", null,
                "1 Harbour Road", "Dover", "CT17 9BU", "GB", "GB427168118378", "DEMO01", "GB000040", "DVRDOVDVR",
                "1040", "1"));
        // The products of Shopify's documented sample orders, so the README's example reaches the declaration.
        String[][] catalogue = {
                {"SKU2006-001", "90041091", "IT", "0.1", "Aviator sunglasses"},
                {"SKU2006-020", "94016100", "GB", "1.0", "Mid-century lounger"},
                {"SKU2006-035", "94036010", "GB", "0.5", "Coffee table"},
                {"IPOD2008PINK", "85198115", "CN", "0.567", "IPod Nano - 8GB"}};
        for (String[] p : catalogue) {
            tenants.saveProduct(ID, new TenantDirectory.Product(p[0], p[1], p[2], new java.math.BigDecimal(p[3]), p[4]));
        }
        Path file = hub.dataDir().resolve("sandbox-credentials.env");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# Sandbox tenant '" + ID + "' (created " + java.time.Instant.now() + "). Keep private.\n"
                + "HUB_TENANT=" + ID + "\nHUB_API_KEY=" + apiKey + "\nSHOPIFY_WEBHOOK_SECRET=" + shopify
                + "\nWOOCOMMERCE_WEBHOOK_SECRET=" + woo + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort on other file systems
        }
        LOG.info("Sandbox tenant '{}' created; its API key and webhook secrets are in {}", ID, file);
    }
}
