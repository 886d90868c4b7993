package org.tradehub.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.edi.EdiPartners;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/**
 * Operator endpoints for EDI onboarding: a trading partner's EDI options per tenant, and the tenant's choice of a
 * CUSDEC single window. The partner's channel profile (AS2 ids, certificates, file drop) is kept by its channel.
 */
@Component("ediPartnerApi")
public class EdiPartnerApi {

    private static final Pattern ID = Pattern.compile("[^\\p{Cntrl}]{1,35}");
    private static final Pattern PARTNER = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");
    private static final Pattern QUALIFIER = Pattern.compile("[A-Z0-9]{1,4}");
    private static final Pattern SYNTAX = Pattern.compile("UNO[A-Y]");
    private static final Pattern RELEASE = Pattern.compile("D\\d\\d[AB]|00[45]0[0-9]0");
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9-]{1,32}");

    private final ApiSupport admin;
    private final TenantDirectory tenants;
    private final EdiPartners partners;

    public EdiPartnerApi(ApiSupport admin, TenantDirectory tenants, EdiPartners partners) {
        this.admin = admin;
        this.tenants = tenants;
        this.partners = partners;
    }

    /**
     * PUT /admin/tenants/{tenant}/edi-partners/{partner}
     * {"standard":"EDIFACT|X12","ourId","ourQualifier","theirId","theirQualifier","channel","sendAcknowledgements",
     * "sendOrderResponses","syntaxIdentifier","messageRelease","test"}
     */
    public void putPartner(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        admin.requireAdmin(in);
        String tenant = tenant(in);
        String partner = in.getHeader("partner", String.class);
        if (partner == null || !PARTNER.matcher(partner).matches()) {
            throw HubProblemException.badRequest("A partner id is 1-200 letters, digits or ._:@-");
        }
        JsonNode b = admin.body(in, false);
        String standard = ApiSupport.text(b, "standard", true);
        if (!standard.equals("EDIFACT") && !standard.equals("X12")) {
            throw HubProblemException.badRequest("standard must be EDIFACT or X12.");
        }
        boolean x12 = standard.equals("X12");
        EdiPartners.Profile p = new EdiPartners.Profile(tenant, partner, standard,
                checked(b, "ourId", ID, true, "ourId is 1-35 characters (UNB S002 / ISA06)."),
                checked(b, "ourQualifier", QUALIFIER, false, "ourQualifier is a code such as 14 or ZZ."),
                checked(b, "theirId", ID, true, "theirId is 1-35 characters (UNB S003 / ISA08)."),
                checked(b, "theirQualifier", QUALIFIER, false, "theirQualifier is a code such as 14 or ZZ."),
                checked(b, "channel", CHANNEL, false, "channel names an outbound channel such as as2 or file."),
                flag(b, "sendAcknowledgements", true), flag(b, "sendOrderResponses", false),
                x12 ? null : orDefault(checked(b, "syntaxIdentifier", SYNTAX, false,
                        "syntaxIdentifier is UNOA..UNOY."), "UNOC"),
                orDefault(checked(b, "messageRelease", RELEASE, false,
                        "messageRelease is a directory such as D96A or an X12 version such as 004010."),
                        x12 ? "004010" : "D96A"),
                flag(b, "test", false));
        if (x12 && (p.ourId().length() > 15 || p.theirId().length() > 15)) {
            throw HubProblemException.badRequest("X12 ids (ISA06 / ISA08) have at most 15 characters.");
        }
        partners.save(p);
        admin.reply(in, null, describe(p));
    }

    /** GET /admin/tenants/{tenant}/edi-partners/{partner} */
    public void getPartner(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        admin.requireAdmin(in);
        String tenant = tenant(in);
        String partner = in.getHeader("partner", String.class);
        EdiPartners.Profile p = partners.find(tenant, partner).orElseThrow(
                () -> HubProblemException.notFound("No EDI partner " + partner + " for tenant " + tenant + "."));
        admin.reply(in, null, describe(p));
    }

    /** PUT /admin/tenants/{tenant}/edi-settings {"cusdecPartnerId"}: declarations as CUSDEC over AS2 (null: off). */
    public void putSettings(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        admin.requireAdmin(in);
        String tenant = tenant(in);
        String cusdec = ApiSupport.text(admin.body(in, false), "cusdecPartnerId", false);
        if (cusdec != null && partners.find(tenant, cusdec).isEmpty()) {
            throw HubProblemException.badRequest("Create the EDI partner " + cusdec + " first (edi-partners).");
        }
        partners.saveCusdecPartner(tenant, cusdec);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("tenant", tenant);
        reply.put("cusdecPartnerId", cusdec);
        admin.reply(in, null, reply);
    }

    private String tenant(Message in) {
        String tenant = in.getHeader("tenant", String.class);
        if (!tenants.exists(tenant)) {
            throw HubProblemException.notFound("No tenant " + tenant + ".");
        }
        return tenant;
    }

    private static String checked(JsonNode b, String field, Pattern pattern, boolean required, String rule) {
        String v = ApiSupport.text(b, field, required);
        if (v != null && !pattern.matcher(v).matches()) {
            throw HubProblemException.badRequest(rule);
        }
        return v;
    }

    private static boolean flag(JsonNode b, String field, boolean fallback) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw HubProblemException.badRequest(field + " must be true or false.");
        }
        return v.booleanValue();
    }

    private static String orDefault(String v, String fallback) {
        return v == null ? fallback : v;
    }

    private static Map<String, Object> describe(EdiPartners.Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", p.tenantId());
        m.put("partner", p.partnerId());
        m.put("standard", p.standard());
        m.put("ourId", p.ourId());
        m.put("ourQualifier", p.ourQualifier());
        m.put("theirId", p.theirId());
        m.put("theirQualifier", p.theirQualifier());
        m.put("channel", p.channel());
        m.put("sendAcknowledgements", p.sendAcknowledgements());
        m.put("sendOrderResponses", p.sendOrderResponses());
        m.put("syntaxIdentifier", p.syntaxIdentifier());
        m.put("messageRelease", p.messageRelease());
        m.put("test", p.test());
        return m;
    }
}
