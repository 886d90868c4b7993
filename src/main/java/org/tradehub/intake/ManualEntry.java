package org.tradehub.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.config.HubProperties;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.HubProblemException;

/**
 * The gate of manual entry (route in-manual-entry): an order a firm types in, through the order form or its own
 * program, sent with its API key. The tenant is the key's, never one named in the request. The order is checked
 * against its schema (mappings/schemas/manual-order-1.schema.json) before it is queued, so a mistyped field is
 * answered at once with every field that is wrong; what only the code lists can tell (a currency that does not
 * exist) is decided at intake, as for every channel, and shows on the transaction.
 */
@Component("manualEntry")
public class ManualEntry {

    public static final String CHANNEL = "manual-entry";
    public static final String FORMAT = "manual-order";
    /** The caller's key for one submission: a retry with the same key is queued once (RFC draft Idempotency-Key). */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Errors listed in an answer: enough to correct a form, not a body's worth of echoes. */
    private static final int MAX_ERRORS = 50;

    /** Duplicate keys are refused (which one would count?); decimals are kept as written for the schema's bounds. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final TenantDirectory tenants;
    private final Clock clock;
    private final JsonSchema schema;

    public ManualEntry(TenantDirectory tenants, Clock clock, HubProperties hub) {
        this.tenants = tenants;
        this.clock = clock;
        this.schema = load(hub.mappingsDir().resolve("schemas/manual-order-1.schema.json"));
    }

    /** Authenticates the tenant, checks the order and labels it for the intake queue (direct:enqueue-order). */
    public void accept(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/json")) {
            throw HubProblemException.unsupportedMediaType("Send the order as application/json"
                    + " (mappings/schemas/manual-order-1.schema.json).");
        }
        byte[] body = WebhookGuard.bodyBytes(in);
        List<String> errors = errors(body == null ? new byte[0] : body);
        if (!errors.isEmpty()) {
            throw HubProblemException.invalidContent("The order was not queued: " + errors.size()
                    + (errors.size() == 1 ? " thing in it is" : " things in it are")
                    + " not as the order format requires.", errors);
        }
        in.setHeader(WebhookGuard.TENANT, tenant.id());
        WebhookGuard.label(in, clock.instant(), CHANNEL, FORMAT, null, null,
                WebhookGuard.key(CHANNEL, in.getHeader(IDEMPOTENCY_KEY, String.class)), null);
        in.setBody(body);
    }

    /** What is wrong with the body as an order, one line per rule broken, sorted by field; empty when it is one. */
    private List<String> errors(byte[] body) {
        JsonNode order;
        try {
            order = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return List.of("The body is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (order == null || order.isMissingNode()) {
            return List.of("The body is empty: send the order as a JSON object.");
        }
        return schema.validate(order).stream()
                .map(ManualEntry::plain)
                .sorted()
                .distinct()
                .limit(MAX_ERRORS)
                .toList();
    }

    /**
     * "lines[0].quantity: must be a number above zero such as 2 or 2.5", "the order: required property 'currency' not
     * found": the field as the form names it, then the schema's own message for the rule, or the validator's.
     */
    private static String plain(ValidationMessage m) {
        String location = m.getInstanceLocation().toString();
        String text = m.getMessage();
        // the validator's messages start with the location; the schema's ("message") do not
        if (text.startsWith(location + ": ")) {
            text = text.substring(location.length() + 2);
        }
        String field = location.equals("$") ? "the order" : location.startsWith("$.") ? location.substring(2) : location;
        return field + ": " + text;
    }

    private static JsonSchema load(Path file) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().errorMessageKeyword("message")
                .pathType(PathType.LEGACY).build();
        try (InputStream in = Files.newInputStream(file)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manual order schema " + file, e);
        }
    }
}
