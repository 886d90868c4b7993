package org.tradehub.services;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.web.HubProblemException;

/**
 * Providers (forwarders, insurers, banks, customs brokers, warehouses, single windows) as data: who they are (checked
 * identity), what they offer on which lanes, how to reach them, and how well they serve, measured by the hub from its
 * own timestamps. Every read goes to the database, so a change through the admin API applies at once.
 */
@Component
public class ProviderRegistry {

    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern LEI = Pattern.compile("[0-9A-Z]{18}[0-9]{2}");
    private static final Pattern KIND = Pattern.compile("forwarder|insurer|bank|customs-broker|warehouse|single-window");
    private static final Pattern CHANNEL = Pattern.compile("http|[a-z0-9]{2,16}");
    /** How far back quality is measured. */
    private static final Duration QUALITY_WINDOW = Duration.ofDays(90);

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final TransactionTemplate tx;

    public ProviderRegistry(JdbcTemplate jdbc, Ledger ledger, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.tx = tx;
    }

    public record Provider(String id, String kind, String legalName, String lei, String licenceNumber,
                           String certificateSubject, String certificateSha256, Instant certificateNotAfter,
                           String channel, String endpointUrl, String partnerId, String format, String outboundToken,
                           int answerWithinSeconds, boolean active, boolean sandbox) {}

    public record Offer(String providerId, String service, String destinationCountry, String serviceLevel,
                        BigDecimal listPrice, String priceCurrency, String quoteUrl) {}

    public record Registration(String id, String kind, String legalName, String lei, String licenceNumber,
                               String certificatePem, String channel, String endpointUrl, String partnerId,
                               String format, String outboundToken, String callbackToken, Integer answerWithinSeconds,
                               boolean active, boolean sandbox, List<Offer> offers) {}

    public record Quality(int sent, int answered, int rejected, int overdue, Long averageAnswerMs) {
        public double rejectionRate() {
            return answered == 0 ? 0 : (double) rejected / answered;
        }

        public double overdueRate() {
            return sent == 0 ? 0 : (double) overdue / sent;
        }

        /** Share of requests answered on time and not rejected; 0..1. */
        public double score() {
            return (1 - rejectionRate()) * (1 - overdueRate());
        }
    }

    /** Creates or replaces a provider and its offers, after checking its identity fields. */
    public void register(Registration r, int defaultAnswerWithinSeconds) {
        if (r.id() == null || !ID.matcher(r.id()).matches()) {
            throw HubProblemException.badRequest("A provider id is 1-63 lower-case letters, digits or '-'.");
        }
        if (r.kind() == null || !KIND.matcher(r.kind()).matches()) {
            throw HubProblemException.badRequest("kind must be one of forwarder, insurer, bank, customs-broker,"
                    + " warehouse, single-window.");
        }
        if (r.legalName() == null || r.legalName().isBlank()) {
            throw HubProblemException.badRequest("'legalName' is required.");
        }
        if (r.lei() == null && r.licenceNumber() == null) {
            throw HubProblemException.badRequest("A provider is identified by its LEI or its licence number.");
        }
        if (r.lei() != null && !validLei(r.lei())) {
            throw HubProblemException.badRequest("'lei' " + r.lei() + " is not a valid ISO 17442 LEI (20 characters,"
                    + " check digits by ISO 7064 MOD 97-10).");
        }
        Certificate cert = r.certificatePem() == null ? null : certificate(r.certificatePem(), r.legalName());
        if (r.channel() == null || !CHANNEL.matcher(r.channel()).matches()) {
            throw HubProblemException.badRequest("'channel' is http or the name of a channel queue (as2, file, ...).");
        }
        if ("http".equals(r.channel()) && (r.endpointUrl() == null || !r.endpointUrl().matches("https?://.+"))) {
            throw HubProblemException.badRequest("An http provider needs 'endpointUrl' (http or https).");
        }
        if (!"http".equals(r.channel()) && r.partnerId() == null) {
            throw HubProblemException.badRequest("A provider on the " + r.channel() + " channel needs 'partnerId' (its"
                    + " profile on that channel).");
        }
        String format = r.format() == null ? "xml" : r.format();
        if (!format.equals("xml") && !format.equals("json")) {
            throw HubProblemException.badRequest("'format' is xml or json (the form the provider takes the hub's"
                    + " requests in; mappings/schemas/services/).");
        }
        for (Offer o : r.offers()) {
            if (Service.of(o.service()).isEmpty()) {
                throw HubProblemException.badRequest("Unknown service '" + o.service() + "' in offers.");
            }
            if (Service.EXPORT_DECLARATION.id.equals(o.service()) && !"customs-broker".equals(r.kind())) {
                throw HubProblemException.badRequest("Only a customs broker offers export-declaration (it files the"
                        + " declaration on the firm's behalf).");
            }
            if (Service.EXPORT_DECLARATION.id.equals(o.service()) && format.equals("json")) {
                throw HubProblemException.badRequest("A customs broker takes format xml: its DeclarationInstruction"
                        + " carries the WCO DMS declaration, which has no JSON form.");
            }
        }
        Timestamp now = Timestamp.from(ledger.now());
        tx.executeWithoutResult(s -> {
            int updated = jdbc.update("update provider set kind = ?, legal_name = ?, lei = ?, licence_number = ?,"
                            + " certificate_pem = ?, certificate_subject = ?, certificate_sha256 = ?, certificate_not_after = ?,"
                            + " channel = ?, endpoint_url = ?, partner_id = ?, format = ?, outbound_token = ?,"
                            + " callback_token_sha256 = coalesce(?, callback_token_sha256), answer_within_s = ?, active = ?,"
                            + " sandbox = ?, updated_at = ? where id = ?", r.kind(), r.legalName(), r.lei(),
                    r.licenceNumber(), r.certificatePem(), cert == null ? null : cert.subject,
                    cert == null ? null : cert.sha256, cert == null ? null : Timestamp.from(cert.notAfter), r.channel(),
                    r.endpointUrl(), r.partnerId(), format, r.outboundToken(), hash(r.callbackToken()),
                    r.answerWithinSeconds() == null ? defaultAnswerWithinSeconds : r.answerWithinSeconds(),
                    r.active(), r.sandbox(), now, r.id());
            if (updated == 0) {
                jdbc.update("insert into provider (id, kind, legal_name, lei, licence_number, certificate_pem,"
                                + " certificate_subject, certificate_sha256, certificate_not_after, channel, endpoint_url,"
                                + " partner_id, format, outbound_token, callback_token_sha256, answer_within_s, active,"
                                + " sandbox, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                + " ?, ?, ?, ?)", r.id(), r.kind(), r.legalName(), r.lei(), r.licenceNumber(),
                        r.certificatePem(), cert == null ? null : cert.subject, cert == null ? null : cert.sha256,
                        cert == null ? null : Timestamp.from(cert.notAfter), r.channel(), r.endpointUrl(), r.partnerId(),
                        format, r.outboundToken(), hash(r.callbackToken()),
                        r.answerWithinSeconds() == null ? defaultAnswerWithinSeconds : r.answerWithinSeconds(),
                        r.active(), r.sandbox(), now, now);
            }
            jdbc.update("delete from provider_offer where provider_id = ?", r.id());
            for (Offer o : r.offers()) {
                jdbc.update("insert into provider_offer (provider_id, service, destination_country, service_level,"
                                + " list_price, price_currency, quote_url) values (?, ?, ?, ?, ?, ?, ?)", r.id(),
                        o.service(), o.destinationCountry(), o.serviceLevel(), o.listPrice(), o.priceCurrency(),
                        o.quoteUrl());
            }
        });
    }

    public void deactivate(String id) {
        if (jdbc.update("update provider set active = false, updated_at = ? where id = ?",
                Timestamp.from(ledger.now()), id) == 0) {
            throw HubProblemException.notFound("No provider " + id + ".");
        }
    }

    public Optional<Provider> find(String id) {
        return jdbc.query(SELECT + " where id = ?", ProviderRegistry::provider, id).stream().findFirst();
    }

    public List<Provider> all() {
        return jdbc.query(SELECT + " order by id", ProviderRegistry::provider);
    }

    public List<Offer> offers(String providerId) {
        return jdbc.query("select provider_id, service, destination_country, service_level, list_price, price_currency,"
                + " quote_url from provider_offer where provider_id = ? order by id", ProviderRegistry::offer, providerId);
    }

    /** Active providers offering the service on this lane (an offer without destination/level covers any). */
    public List<Offer> candidates(String service, String destination, String serviceLevel) {
        List<Offer> found = jdbc.query("select o.provider_id, o.service, o.destination_country, o.service_level,"
                        + " o.list_price, o.price_currency, o.quote_url from provider_offer o join provider p on p.id ="
                        + " o.provider_id where p.active = true and o.service = ? and (o.destination_country is null or"
                        + " o.destination_country = ?) and (o.service_level is null or o.service_level = ?)"
                        + " order by o.provider_id, o.destination_country, o.id",
                ProviderRegistry::offer, service, destination, serviceLevel);
        // one offer per provider: the most specific (a destination-specific row sorts before the null one)
        Map<String, Offer> best = new LinkedHashMap<>();
        found.forEach(o -> best.putIfAbsent(o.providerId(), o));
        return new ArrayList<>(best.values());
    }

    /** The provider whose callback token this is (tokens are stored hashed; compared in constant time). */
    public Optional<Provider> authenticateCallback(String providerId, String token) {
        if (token == null) {
            return Optional.empty();
        }
        List<String> stored = jdbc.queryForList("select callback_token_sha256 from provider where id = ?",
                String.class, providerId);
        String presented = hash(token);
        if (stored.isEmpty() || stored.get(0) == null || !MessageDigest.isEqual(
                stored.get(0).getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return find(providerId);
    }

    /** The provider that owns a partner id on a channel (answers arriving over a channel queue). */
    public Optional<Provider> byChannelPartner(String channel, String partnerId) {
        return jdbc.query(SELECT + " where channel = ? and partner_id = ?", ProviderRegistry::provider, channel,
                partnerId).stream().findFirst();
    }

    /**
     * Quality measured from the hub's own timestamps over the last 90 days: requests sent, answered, rejected,
     * overdue (answered after the due time, or still unanswered past it) and the mean time to the first answer.
     */
    public Quality quality(String providerId) {
        Instant now = ledger.now();
        int[] counts = new int[4];
        long[] answerMs = new long[2];
        jdbc.query("select state, sent_at, due_at, answered_at from plan_step where provider_id = ? and sent_at >= ?",
                rs -> {
                    Instant sent = rs.getTimestamp(2).toInstant();
                    Timestamp due = rs.getTimestamp(3);
                    Timestamp answered = rs.getTimestamp(4);
                    counts[0]++;
                    if (answered != null) {
                        counts[1]++;
                        answerMs[0] += Duration.between(sent, answered.toInstant()).toMillis();
                        answerMs[1]++;
                    }
                    if (PlanSteps.REJECTED.equals(rs.getString(1))) {
                        counts[2]++;
                    }
                    if (due != null && (answered != null ? answered.after(due) : now.isAfter(due.toInstant()))) {
                        counts[3]++;
                    }
                }, providerId, Timestamp.from(now.minus(QUALITY_WINDOW)));
        return new Quality(counts[0], counts[1], counts[2], counts[3],
                answerMs[1] == 0 ? null : answerMs[0] / answerMs[1]);
    }

    /** ISO 17442: 18 characters and 2 check digits, valid when the number (letters as 10..35) mod 97 is 1. */
    static boolean validLei(String lei) {
        if (!LEI.matcher(lei).matches()) {
            return false;
        }
        int mod = 0;
        for (char c : lei.toCharArray()) {
            int v = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            mod = v > 9 ? (mod * 100 + v) % 97 : (mod * 10 + v) % 97;
        }
        return mod == 1;
    }

    private record Certificate(String subject, String sha256, Instant notAfter) {}

    /** The certificate must parse, be in date, and name the provider (its subject's O or CN is the legal name). */
    private Certificate certificate(String pem, String legalName) {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            cert.checkValidity(java.util.Date.from(ledger.now()));
        } catch (CertificateException e) {
            throw HubProblemException.badRequest("'certificatePem' is not a valid, current X.509 certificate: "
                    + e.getMessage());
        }
        String subject = cert.getSubjectX500Principal().getName();
        boolean names = false;
        try {
            for (var rdn : new javax.naming.ldap.LdapName(subject).getRdns()) {
                if ((rdn.getType().equalsIgnoreCase("O") || rdn.getType().equalsIgnoreCase("CN"))
                        && String.valueOf(rdn.getValue()).equalsIgnoreCase(legalName.trim())) {
                    names = true;
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            names = false;
        }
        if (!names) {
            throw HubProblemException.badRequest("The certificate's subject (" + subject + ") does not name '"
                    + legalName + "' as its organisation (O) or common name (CN).");
        }
        try {
            return new Certificate(subject, org.tradehub.ledger.Ledger.sha256(cert.getEncoded()),
                    cert.getNotAfter().toInstant());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(String token) {
        return token == null ? null : Ledger.sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    private static final String SELECT = "select id, kind, legal_name, lei, licence_number, certificate_subject,"
            + " certificate_sha256, certificate_not_after, channel, endpoint_url, partner_id, format, outbound_token,"
            + " answer_within_s, active, sandbox from provider";

    private static Provider provider(ResultSet rs, int i) throws SQLException {
        Timestamp notAfter = rs.getTimestamp(8);
        return new Provider(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), notAfter == null ? null : notAfter.toInstant(), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getInt(14),
                rs.getBoolean(15), rs.getBoolean(16));
    }

    private static Offer offer(ResultSet rs, int i) throws SQLException {
        return new Offer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBigDecimal(5),
                rs.getString(6), rs.getString(7));
    }
}
