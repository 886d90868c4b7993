package org.tradehub.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.springframework.stereotype.Component;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.HubProblemException;
import org.tradehub.ledger.Ids;

/**
 * The gate of every web-shop webhook. It verifies the platform's HMAC-SHA256 over the raw body bytes, in constant
 * time and before anything parses the body, then labels the message for the intake queue: tenant, channel, format,
 * receipt id and the de-duplication keys of the delivery.
 */
@Component("webhookGuard")
public class WebhookGuard {

    /** Headers the intake queue carries; everything else that came over HTTP stays behind. */
    public static final String TENANT = "hubTenantId";
    public static final String CHANNEL = "hubChannel";
    public static final String FORMAT = "hubSourceFormat";
    public static final String SYNTAX = "hubSourceSyntax";
    public static final String PARTNER = "hubPartnerId";
    public static final String TOPIC = "hubEventTopic";
    public static final String RECEIPT = "hubReceiptId";
    public static final String RECEIVED_AT = "hubReceivedAt";
    public static final String DEDUPE_KEYS = "hubDedupeKeys";
    /** Artemis drops a second message with the same value: retries never reach the queue twice. */
    public static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** The delivery's {@link #ARTEMIS_DUPLICATE_ID}, which enqueue-order sets on the message it queues. */
    public static final String DUPLICATE_ID = "hubDuplicateId";

    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern WOO_PING = Pattern.compile("webhook_id=\\d{1,20}");
    /**
     * One Mac per thread, keyed afresh for every message ({@code init} resets it): {@code Mac.getInstance} searches
     * the security providers and builds a new engine each time, which JFR showed as half of the HMAC's cost.
     */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    });

    private final TenantDirectory tenants;
    private final Clock clock;
    private final long maxBodyBytes;

    public WebhookGuard(TenantDirectory tenants, Clock clock, org.tradehub.config.HubProperties hub) {
        this.tenants = tenants;
        this.clock = clock;
        this.maxBodyBytes = hub.limits().webhookBodyBytes();
    }

    public void verifyShopify(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = verify(in, "shopify", "X-Shopify-Hmac-Sha256");
        label(in, "shopify", "shopify-order", in.getHeader("X-Shopify-Shop-Domain", String.class),
                in.getHeader("X-Shopify-Topic", String.class),
                key("shopify-webhook", in.getHeader("X-Shopify-Webhook-Id", String.class)),
                key("shopify-event", in.getHeader("X-Shopify-Event-Id", String.class)));
        in.setBody(body);
    }

    public void verifyWooCommerce(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = verify(in, "woocommerce", "X-WC-Webhook-Signature");
        label(in, "woocommerce", "woocommerce-order", in.getHeader("X-WC-Webhook-Source", String.class),
                in.getHeader("X-WC-Webhook-Topic", String.class),
                key("woocommerce-delivery", in.getHeader("X-WC-Webhook-Delivery-ID", String.class)), null);
        in.setBody(body);
    }

    /**
     * WooCommerce's creation ping: a form-encoded {@code webhook_id=N}, not an order, and unsigned. It gets 200 and
     * nothing is queued, so a forged ping can do no harm.
     */
    public boolean isWooCommercePing(Exchange exchange) {
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            return false;
        }
        // the body as sent: the HTTP binding does not read forms (web/DirectRouteDispatch)
        byte[] body = in.getBody(byte[].class);
        in.setBody(body);
        return body != null && body.length < 64
                && WOO_PING.matcher(new String(body, StandardCharsets.US_ASCII).trim()).matches();
    }

    private byte[] verify(Message in, String platform, String signatureHeader) {
        String tenant = in.getHeader("tenant", String.class);
        byte[] body = bodyBytes(in);
        String signature = in.getHeader(signatureHeader, String.class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBodyBytes) {
            // a chunked body has no Content-Length for the size filter to refuse up front
            throw HubProblemException.tooLarge(maxBodyBytes);
        }
        if (tenant == null || !TenantDirectory.TENANT_ID.matcher(tenant).matches() || signature == null
                || !signatureMatches(body, signature, tenants.webhookSecrets(tenant, platform))) {
            // Same answer for an unknown tenant and a bad signature: nothing to learn by probing.
            throw HubProblemException.unauthorized("The " + signatureHeader + " header is missing or does not match "
                    + "an HMAC-SHA256 of the request body with this shop's webhook secret.");
        }
        in.setHeader(TENANT, tenant);
        return body;
    }

    /**
     * The body as sent, copied out once. The HTTP binding holds it as a stream cache (its bytes in memory, or in a
     * spool file when large); read at its exact size here, where Camel's converter to byte[] grows a buffer from 32
     * bytes and copies the result again: three copies of every order, a large share of the intake's allocation (JFR).
     */
    static byte[] bodyBytes(Message in) {
        Object body = in.getBody();
        if (body instanceof StreamCache cache && body instanceof InputStream stream) {
            try {
                cache.reset();
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return in.getBody(byte[].class);
    }

    static boolean signatureMatches(byte[] body, String signatureBase64, List<byte[]> secrets) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signatureBase64.trim());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        boolean match = false;
        // Check every secret, even after a match, so the time taken does not tell which one matched.
        for (byte[] secret : secrets) {
            match |= MessageDigest.isEqual(hmacSha256(secret, body), given);
        }
        return match;
    }

    public static byte[] hmacSha256(byte[] key, byte[] body) {
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private void label(Message in, String channel, String format, String partner, String topic,
                       String primaryKey, String secondaryKey) {
        label(in, clock.instant(), channel, format, partner, topic, primaryKey, secondaryKey);
    }

    /**
     * The intake queue's headers of a JSON order received over HTTP by the tenant in {@link #TENANT}: a new receipt
     * id, and the delivery's de-duplication keys (scope:id) of which the first is also the broker's duplicate id.
     */
    static void label(Message in, Instant receivedAt, String channel, String format, String partner, String topic,
                      String primaryKey, String secondaryKey) {
        String tenant = in.getHeader(TENANT, String.class);
        in.setHeader(CHANNEL, channel);
        in.setHeader(FORMAT, format);
        in.setHeader(SYNTAX, "json");
        in.setHeader(RECEIPT, Ids.timeOrdered().toString());
        in.setHeader(RECEIVED_AT, receivedAt.toString());
        if (partner != null && !partner.isBlank()) {
            in.setHeader(PARTNER, partner.trim());
        }
        if (topic != null && !topic.isBlank()) {
            in.setHeader(TOPIC, topic.trim());
        }
        String keys = primaryKey == null ? secondaryKey
                : secondaryKey == null ? primaryKey : primaryKey + "," + secondaryKey;
        if (keys != null) {
            in.setHeader(DEDUPE_KEYS, keys);
            in.setHeader(DUPLICATE_ID, tenant + "/" + (primaryKey != null ? primaryKey : secondaryKey));
        }
    }

    static String key(String scope, String deliveryId) {
        if (deliveryId == null || deliveryId.isBlank()) {
            return null;
        }
        if (!DELIVERY_ID.matcher(deliveryId.trim()).matches()) {
            throw HubProblemException.badRequest("The delivery id header of scope " + scope + " is malformed.");
        }
        return scope + ":" + deliveryId.trim();
    }
}
