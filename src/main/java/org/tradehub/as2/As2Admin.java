package org.tradehub.as2;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
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

/** Admin API for AS2 partners (routes/api-as2-admin.yaml): partner profiles and their certificates. */
@Component("as2Admin")
public class As2Admin {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern AS2_ID = Pattern.compile("[\\x21-\\x7E ]{1,128}");

    private final As2Partners partners;
    private final As2Keystore keystore;
    private final TenantDirectory tenants;
    private final ApiSupport api;

    private final int certificateWarningDays;

    public As2Admin(As2Partners partners, As2Keystore keystore, TenantDirectory tenants, ApiSupport api,
                    As2Properties properties) {
        this.certificateWarningDays = properties.certificateWarningDays();
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

    /** Largest PEM body taken: one certificate is 1-3 KiB; a chain or junk is refused before it is read. */
    static final int MAX_CERTIFICATE_BYTES = 16 * 1024;
    private static final Pattern PEM = Pattern.compile(
            "\\s*-----BEGIN CERTIFICATE-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+)-----END CERTIFICATE-----\\s*");

    /**
     * PUT /admin/as2/certificates/{alias}: a partner's certificate as PEM, so onboarding needs no keytool on the
     * server. Exactly one X.509 certificate, nothing around it; refused when it is not valid now; stored in the AS2
     * keystore (read again by every instance that shares it).
     */
    public void putCertificate(Exchange exchange) throws Exception {
        Message in = requireAdmin(exchange);
        String alias = in.getHeader("alias", String.class);
        if (alias == null || !ID.matcher(alias).matches()) {
            throw HubProblemException.badRequest("An alias has 1-100 letters, digits, '.', '_' or '-'.");
        }
        Long declared = in.getHeader("Content-Length", Long.class);
        if (declared != null && declared > MAX_CERTIFICATE_BYTES) {
            throw HubProblemException.tooLarge(MAX_CERTIFICATE_BYTES);
        }
        byte[] body = ApiSupport.bytes(in, "the certificate in PEM", "application/x-pem-file");
        if (body != null && body.length > MAX_CERTIFICATE_BYTES) {
            throw HubProblemException.tooLarge(MAX_CERTIFICATE_BYTES);
        }
        X509Certificate cert = parsePem(body == null ? "" : new String(body, StandardCharsets.US_ASCII));
        try {
            cert.checkValidity();
        } catch (java.security.cert.CertificateExpiredException e) {
            throw HubProblemException.badRequest("The certificate expired on " + cert.getNotAfter().toInstant()
                    + "; ask the partner for its current one.");
        } catch (java.security.cert.CertificateNotYetValidException e) {
            throw HubProblemException.badRequest("The certificate is valid only from " + cert.getNotBefore().toInstant() + ".");
        }
        try {
            keystore.storeCertificate(alias, cert);
        } catch (As2ConfigurationException e) {
            throw HubProblemException.badRequest(e.getMessage() + ".");
        }
        java.time.Instant notAfter = cert.getNotAfter().toInstant();
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("alias", alias);
        answer.put("subject", cert.getSubjectX500Principal().getName());
        answer.put("issuer", cert.getIssuerX500Principal().getName());
        answer.put("notAfter", notAfter.toString());
        answer.put("sha256Fingerprint", org.tradehub.ledger.Ledger.sha256(cert.getEncoded()));
        answer.put("expiresWithinWarningDays", notAfter.isBefore(java.time.Instant.now().plus(
                java.time.Duration.ofDays(certificateWarningDays))));
        reply(in, answer);
    }

    /** One PEM certificate and nothing else; its DER must be exactly one certificate (no trailing bytes). */
    static X509Certificate parsePem(String pem) {
        var m = PEM.matcher(pem);
        if (!m.matches()) {
            throw HubProblemException.badRequest("The body must be exactly one PEM certificate"
                    + " (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----).");
        }
        byte[] der;
        try {
            der = java.util.Base64.getMimeDecoder().decode(m.group(1));
            X509Certificate cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
            if (!java.util.Arrays.equals(der, cert.getEncoded())) {
                throw new java.security.cert.CertificateException("bytes after the certificate");
            }
            if (cert.getPublicKey() instanceof java.security.interfaces.RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
                throw HubProblemException.badRequest("The certificate's RSA key has " + rsa.getModulus().bitLength()
                        + " bits; at least 2048 are required.");
            }
            return cert;
        } catch (IllegalArgumentException | java.security.cert.CertificateException e) {
            throw HubProblemException.badRequest("The body is not a readable X.509 certificate: " + e.getMessage());
        }
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
