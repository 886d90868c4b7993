package org.tradehub.as2;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/** Admin API for AS2 partners (routes/api-as2-admin.yaml): partner profiles. */
@Component("as2Admin")
public class As2Admin {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern AS2_ID = Pattern.compile("[\\x21-\\x7E ]{1,128}");

    private final As2Partners partners;
    private final As2Keystore keystore;
    private final TenantDirectory tenants;
    private final ApiSupport api;

    public As2Admin(As2Partners partners, As2Keystore keystore, TenantDirectory tenants, ApiSupport api) {
        this.partners = partners;
        this.keystore = keystore;
        this.tenants = tenants;
        this.api = api;
    }

    /** PUT /admin/as2/partners/{partner}: creates or replaces a partner profile. */
    public void putPartner(Exchange exchange) throws Exception {
        Message in = requireAdmin(exchange);
        String partnerId = in.getHeader("partner", String.class);
        if (!ID.matcher(partnerId).matches()) {
            throw HubProblemException.badRequest("A partner id has 1-100 letters, digits, '.', '_' or '-'.");
        }
        JsonNode b = body(in);
        String tenantId = text(b, "tenantId", null);
        if (tenantId == null || !tenants.exists(tenantId)) {
            throw HubProblemException.badRequest("tenantId must name an existing tenant.");
        }
        As2Partner p = new As2Partner(partnerId, tenantId, as2Id(b, "as2Id"), as2Id(b, "ourAs2Id"), text(b, "url", null),
                text(b, "partnerCertificateAlias", null), text(b, "ourKeyAlias", null),
                bool(b, "requireSignature", true), bool(b, "requireEncryption", false),
                bool(b, "signOutbound", true), bool(b, "encryptOutbound", true),
                As2Partner.Compression.of(text(b, "compressOutbound", "none")),
                text(b, "signingAlgorithm", "sha-256").toLowerCase(), text(b, "encryptionAlgorithm", "aes128-cbc").toLowerCase(),
                As2Partner.MdnMode.of(text(b, "mdnMode", "sync")), bool(b, "mdnSigned", true),
                b.path("mdnTimeoutSeconds").asInt(60));
        List<String> problems = new java.util.ArrayList<>();
        if (p.partnerCertAlias() == null || !keystore.has(p.partnerCertAlias())) {
            problems.add("partnerCertificateAlias must name a certificate in the AS2 keystore (import it first)");
        }
        if (p.ourKeyAlias() == null || !keystore.has(p.ourKeyAlias())) {
            problems.add("ourKeyAlias must name one of our private keys in the AS2 keystore");
        }
        if (!Smime.knownDigest(p.signingAlgorithm())) {
            problems.add("signingAlgorithm must be one of sha-256, sha-384, sha-512, sha1");
        }
        if (!Smime.knownCipher(p.encryptionAlgorithm())) {
            problems.add("encryptionAlgorithm must be one of aes128-cbc, aes192-cbc, aes256-cbc, 3des");
        }
        if (p.url() != null && !p.url().matches("https?://.+")) {
            problems.add("url must be an http(s) URL");
        }
        if (!problems.isEmpty()) {
            throw HubProblemException.badRequest(String.join("; ", problems) + ".");
        }
        partners.save(p);
        reply(in, Map.of("partnerId", partnerId, "status", "saved"));
    }

    /** GET /admin/as2/partners */
    public void listPartners(Exchange exchange) throws Exception {
        Message in = requireAdmin(exchange);
        reply(in, Map.of("items", partners.list()));
    }

    private Message requireAdmin(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        return in;
    }

    private JsonNode body(Message in) {
        return api.body(in, false);
    }

    private static String text(JsonNode b, String field, String dflt) {
        JsonNode v = b.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? dflt : v.asText().trim();
    }

    private static boolean bool(JsonNode b, String field, boolean dflt) {
        JsonNode v = b.get(field);
        return v == null || v.isNull() ? dflt : v.asBoolean();
    }

    private static String as2Id(JsonNode b, String field) {
        String v = text(b, field, null);
        if (v == null || !AS2_ID.matcher(v).matches()) {
            throw HubProblemException.badRequest(field + " must be an AS2 name: 1-128 printable ASCII characters.");
        }
        return v;
    }

    private void reply(Message in, Object body) {
        api.reply(in, null, body);
    }
}
