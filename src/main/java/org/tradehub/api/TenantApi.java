package org.tradehub.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

import static org.tradehub.web.ApiSupport.text;

/**
 * Onboarding (admin: create a tenant, set its webhook secrets) and the tenant's own master data (exporter profile,
 * product catalogue) that orders from web shops lack but customs needs.
 */
@Component("tenantApi")
public class TenantApi {

    private static final Pattern PLATFORM = Pattern.compile("shopify|woocommerce");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern HS = Pattern.compile("\\d{6}(\\d{2}){0,2}");
    private static final Pattern SKU = Pattern.compile("[^\\p{Cntrl}]{1,100}");

    private final TenantDirectory tenants;
    private final ApiSupport api;

    public TenantApi(TenantDirectory tenants, ApiSupport api) {
        this.tenants = tenants;
        this.api = api;
    }

    /** POST /admin/tenants {"id","name"} -> {"id","apiKey"}: the key is shown this once. */
    public void createTenant(Exchange exchange) {
        api.requireAdmin(exchange.getMessage());
        JsonNode body = api.body(exchange.getMessage(), false);
        String id = text(body, "id", true);
        String apiKey = tenants.create(id, text(body, "name", true));
        api.reply(exchange.getMessage(), 201, Map.of("id", id, "apiKey", apiKey));
    }

    /** POST /admin/tenants/{tenant}/api-key: a new API key for the tenant, shown this once; the old one stops working. */
    public void rotateApiKeyAsAdmin(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        String tenant = in.getHeader("tenant", String.class);
        api.reply(in, null, Map.of("id", tenant, "apiKey", tenants.rotateApiKey(tenant)));
    }

    /** POST /api/api-key: the tenant replaces its own key (sent with the current one), e.g. after it was exposed. */
    public void rotateApiKey(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        api.reply(in, null, Map.of("id", tenant.id(), "apiKey", tenants.rotateApiKey(tenant.id())));
    }

    /** PUT /admin/tenants/{tenant}/webhook-secrets/{platform} {"secret"}: the old secret stays valid for an hour. */
    public void rotateWebhookSecret(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        String tenant = in.getHeader("tenant", String.class);
        String platform = in.getHeader("platform", String.class);
        if (!PLATFORM.matcher(platform).matches()) {
            throw HubProblemException.badRequest("platform must be shopify or woocommerce");
        }
        if (!tenants.exists(tenant)) {
            throw HubProblemException.notFound("No tenant " + tenant + ".");
        }
        String secret = text(api.body(in, false), "secret", true);
        if (secret.length() < 16) {
            throw HubProblemException.badRequest("A webhook secret has at least 16 characters.");
        }
        tenants.rotateWebhookSecret(tenant, platform, secret, Duration.ofHours(1));
        api.reply(in, null, Map.of("tenant", tenant, "platform", platform, "status", "secret set"));
    }

    /** PUT /api/profile: the tenant's exporter identity and customs settings. */
    public void putProfile(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        JsonNode b = api.body(in, false);
        String country = text(b, "countryCode", true);
        if (!COUNTRY.matcher(country).matches()) {
            throw HubProblemException.badRequest("countryCode must be an ISO 3166-1 alpha-2 code such as GB.");
        }
        tenants.saveExporterProfile(tenant.id(), new TenantDirectory.ExporterProfile(text(b, "legalName", true),
                text(b, "eori", false), text(b, "lei", false), text(b, "addressLine", false), text(b, "city", false),
                text(b, "postcode", false), country, text(b, "declarantEori", false),
                text(b, "badgeIdentifier", false), text(b, "exitOfficeId", false), text(b, "goodsLocationName", false),
                text(b, "procedureCode", false), text(b, "borderTransportModeCode", false)));
        api.reply(in, null, Map.of("tenant", tenant.id(), "status", "profile saved"));
    }

    /** GET /api/profile: the exporter profile as saved, with the same names as PUT takes; 404 before the first PUT. */
    public void getProfile(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        TenantDirectory.Saved<TenantDirectory.ExporterProfile> saved = tenants.exporterProfile(tenant.id())
                .orElseThrow(() -> HubProblemException.notFound("No exporter profile yet: PUT /api/profile."));
        TenantDirectory.ExporterProfile p = saved.value();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", p.legalName());
        body.put("eori", p.eori());
        body.put("lei", p.lei());
        body.put("addressLine", p.addressLine());
        body.put("city", p.city());
        body.put("postcode", p.postcode());
        body.put("countryCode", p.countryCode());
        body.put("declarantEori", p.declarantEori());
        body.put("badgeIdentifier", p.badgeIdentifier());
        body.put("exitOfficeId", p.exitOfficeId());
        body.put("goodsLocationName", p.goodsLocationName());
        body.put("procedureCode", p.procedureCode());
        body.put("borderTransportModeCode", p.borderTransportModeCode());
        body.put("updatedAt", saved.updatedAt().toString());
        api.reply(in, null, body);
    }

    /**
     * GET /api/products?after=&limit=: the catalogue in SKU order, a page at a time (default 100, at most 500);
     * "next" is the {@code after} of the next page, null on the last.
     */
    public void listProducts(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        int limit = ApiSupport.limit(in.getHeader("limit", String.class), 100, 500);
        String after = in.getHeader("after", String.class);
        // one more than asked for tells whether another page follows
        List<TenantDirectory.Saved<TenantDirectory.Product>> page = tenants.products(tenant.id(),
                after == null || after.isBlank() ? null : after, limit + 1);
        List<Map<String, Object>> items = page.stream().limit(limit).map(TenantApi::product).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next", page.size() > limit ? items.get(limit - 1).get("sku") : null);
        api.reply(in, null, body);
    }

    /** GET /api/products/{sku}. */
    public void getProduct(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String sku = sku(in);
        api.reply(in, null, product(tenants.product(tenant.id(), sku).orElseThrow(() -> noProduct(sku))));
    }

    /** DELETE /api/products/{sku}: later orders no longer get its data; recorded ones keep what it filled in. */
    public void deleteProduct(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String sku = sku(in);
        if (!tenants.deleteProduct(tenant.id(), sku)) {
            throw noProduct(sku);
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        in.setBody(null);
    }

    private static Map<String, Object> product(TenantDirectory.Saved<TenantDirectory.Product> saved) {
        TenantDirectory.Product p = saved.value();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", p.sku());
        body.put("hsCode", p.hsCode());
        body.put("originCountry", p.originCountry());
        // as a decimal string, exactly as stored (no binary floating point), without the column's trailing zeros
        body.put("netMassKg", p.netMassKg() == null ? null : p.netMassKg().stripTrailingZeros().toPlainString());
        body.put("description", p.description());
        body.put("updatedAt", saved.updatedAt().toString());
        return body;
    }

    private static HubProblemException noProduct(String sku) {
        return HubProblemException.notFound("No product " + sku + " in your catalogue.");
    }

    private static String sku(Message in) {
        String sku = in.getHeader("sku", String.class);
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw HubProblemException.badRequest("A SKU is 1-100 printable characters.");
        }
        return sku;
    }

    /** PUT /api/products/{sku} {"hsCode","originCountry","netMassKg","description"}. */
    public void putProduct(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String sku = sku(in);
        JsonNode b = api.body(in, false);
        String hs = text(b, "hsCode", false);
        String origin = text(b, "originCountry", false);
        String mass = text(b, "netMassKg", false);
        if (hs != null && !HS.matcher(hs).matches()) {
            throw HubProblemException.badRequest("hsCode must be 6, 8 or 10 digits, e.g. 460219.");
        }
        if (origin != null && !COUNTRY.matcher(origin).matches()) {
            throw HubProblemException.badRequest("originCountry must be an ISO 3166-1 alpha-2 code such as GB.");
        }
        BigDecimal kg;
        try {
            kg = mass == null ? null : new BigDecimal(mass);
        } catch (NumberFormatException e) {
            throw HubProblemException.badRequest("netMassKg must be a decimal number such as 0.25.");
        }
        tenants.saveProduct(tenant.id(), new TenantDirectory.Product(sku, hs, origin, kg,
                text(b, "description", false)));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("sku", sku);
        reply.put("status", "product saved");
        api.reply(in, null, reply);
    }
}
