package org.tradehub.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.config.HubProperties;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.BearerToken;
import org.tradehub.web.HubProblemException;

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
    private final ObjectMapper json;
    private final byte[] adminToken;

    public TenantApi(TenantDirectory tenants, ObjectMapper json, HubProperties hub) {
        this.tenants = tenants;
        this.json = json;
        this.adminToken = hub.adminToken() == null ? new byte[0] : hub.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    /** POST /admin/tenants {"id","name"} -> {"id","apiKey"}: the key is shown this once. */
    public void createTenant(Exchange exchange) throws Exception {
        requireAdmin(exchange.getMessage());
        JsonNode body = body(exchange.getMessage());
        String id = text(body, "id", true);
        String apiKey = tenants.create(id, text(body, "name", true));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        reply(exchange.getMessage(), Map.of("id", id, "apiKey", apiKey));
    }

    /** PUT /admin/tenants/{tenant}/webhook-secrets/{platform} {"secret"}: the old secret stays valid for an hour. */
    public void rotateWebhookSecret(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        requireAdmin(in);
        String tenant = in.getHeader("tenant", String.class);
        String platform = in.getHeader("platform", String.class);
        if (!PLATFORM.matcher(platform).matches()) {
            throw HubProblemException.badRequest("platform must be shopify or woocommerce");
        }
        if (!tenants.exists(tenant)) {
            throw HubProblemException.notFound("No tenant " + tenant + ".");
        }
        String secret = text(body(in), "secret", true);
        if (secret.length() < 16) {
            throw HubProblemException.badRequest("A webhook secret has at least 16 characters.");
        }
        tenants.rotateWebhookSecret(tenant, platform, secret, Duration.ofHours(1));
        reply(in, Map.of("tenant", tenant, "platform", platform, "status", "secret set"));
    }

    /** PUT /api/profile: the tenant's exporter identity and customs settings. */
    public void putProfile(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        JsonNode b = body(in);
        String country = text(b, "countryCode", true);
        if (!COUNTRY.matcher(country).matches()) {
            throw HubProblemException.badRequest("countryCode must be an ISO 3166-1 alpha-2 code such as GB.");
        }
        tenants.saveExporterProfile(tenant.id(), new TenantDirectory.ExporterProfile(text(b, "legalName", true),
                text(b, "eori", false), text(b, "lei", false), text(b, "addressLine", false), text(b, "city", false),
                text(b, "postcode", false), country, text(b, "declarantEori", false),
                text(b, "badgeIdentifier", false), text(b, "exitOfficeId", false), text(b, "goodsLocationName", false),
                text(b, "procedureCode", false), text(b, "borderTransportModeCode", false)));
        reply(in, Map.of("tenant", tenant.id(), "status", "profile saved"));
    }

    /** PUT /api/products/{sku} {"hsCode","originCountry","netMassKg","description"}. */
    public void putProduct(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String sku = in.getHeader("sku", String.class);
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw HubProblemException.badRequest("A SKU is 1-100 printable characters.");
        }
        JsonNode b = body(in);
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
        reply(in, reply);
    }

    private void requireAdmin(Message in) {
        if (!BearerToken.matches(in.getHeader("Authorization", String.class), adminToken)) {
            throw HubProblemException.unauthorized("The admin API needs 'Authorization: Bearer <HUB_ADMIN_TOKEN>'.");
        }
    }

    private JsonNode body(Message in) {
        return jsonObject(json, in);
    }

    /** The request body as a JSON object, or a 400 that says why not (shared by the admin APIs). */
    public static JsonNode jsonObject(ObjectMapper json, Message in) {
        try {
            JsonNode node = json.readTree(in.getBody(byte[].class));
            if (node == null || !node.isObject()) {
                throw HubProblemException.badRequest("The body must be a JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw HubProblemException.badRequest("The body is not valid JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw HubProblemException.badRequest("'" + field + "' is required.");
            }
            return null;
        }
        return v.asText().trim();
    }

    private void reply(Message in, Object body) throws Exception {
        Object status = in.getHeader(Exchange.HTTP_RESPONSE_CODE);
        in.removeHeaders("*");
        if (status != null) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(json.writeValueAsBytes(body));
    }
}
