package org.tradehub.services;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.declaration.ExchangeRates;

/**
 * Picks one provider for a plan step by the tenant's policy for that service: FIXED (a named provider), CHEAPEST
 * (quotes asked from every candidate in parallel, with a deadline; list prices for providers without a quote
 * endpoint), FASTEST (shortest measured answer time) or BEST_QUALITY (measured on-time, not-rejected share).
 * The choice comes with its reason in plain words, for the timeline.
 */
@Component
public class ProviderSelection {

    private final JdbcTemplate jdbc;
    private final ProviderRegistry registry;
    private final ExchangeRates rates;
    private final ServicesProperties config;
    private final ObjectMapper json;
    private final HttpClient http;

    public ProviderSelection(JdbcTemplate jdbc, ProviderRegistry registry, ExchangeRates rates,
                             ServicesProperties config, ObjectMapper json) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.rates = rates;
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.providerConnectTimeoutMs()))
                .build();
    }

    public record Choice(ProviderRegistry.Provider provider, String reason, Map<String, Object> details) {}

    /** Thrown when no active provider offers the service on the lane: the step cannot proceed until one does. */
    public static class NoProviderException extends RuntimeException {
        NoProviderException(String message) {
            super(message);
        }
    }

    public Choice choose(String tenantId, Service service, String reference, TransactionFacts facts) {
        Policy policy = policy(tenantId, service);
        List<ProviderRegistry.Offer> offers = registry.candidates(service.id, facts.destinationCountry(),
                facts.laneServiceLevel());
        String lane = facts.destinationCountry() + " / " + facts.laneServiceLevel();
        if (offers.isEmpty()) {
            throw new NoProviderException("No active provider offers " + service.label + " to " + lane + ".");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("policy", policy.name);
        details.put("candidates", offers.stream().map(ProviderRegistry.Offer::providerId).toList());
        return switch (policy.name) {
            case "FIXED" -> {
                ProviderRegistry.Offer fixed = offers.stream().filter(o -> o.providerId().equals(policy.fixedProvider))
                        .findFirst().orElseThrow(() -> new NoProviderException("The fixed provider " + policy.fixedProvider
                                + " does not offer " + service.label + " to " + lane + " (or is inactive)."));
                yield choice(fixed, "Fixed by the tenant's policy for " + service.label + ".", details);
            }
            case "FASTEST" -> measured(offers, details, true);
            case "BEST_QUALITY" -> measured(offers, details, false);
            default -> cheapest(offers, reference, service, facts, policy.quoteDeadlineMs, details);
        };
    }

    private Choice choice(ProviderRegistry.Offer offer, String reason, Map<String, Object> details) {
        ProviderRegistry.Provider p = registry.find(offer.providerId()).orElseThrow();
        return new Choice(p, reason, details);
    }

    private Choice measured(List<ProviderRegistry.Offer> offers, Map<String, Object> details, boolean fastest) {
        Map<String, Object> measures = new LinkedHashMap<>();
        ProviderRegistry.Offer best = null;
        ProviderRegistry.Quality bestQuality = null;
        for (ProviderRegistry.Offer o : offers) {
            ProviderRegistry.Quality q = registry.quality(o.providerId());
            measures.put(o.providerId(), Map.of("sent", q.sent(), "averageAnswerMs", String.valueOf(q.averageAnswerMs()),
                    "rejectionRate", q.rejectionRate(), "overdueRate", q.overdueRate()));
            if (best == null || better(q, bestQuality, fastest)) {
                best = o;
                bestQuality = q;
            }
        }
        details.put("measured", measures);
        if (bestQuality.sent() == 0) {
            return choice(best, "No candidate has a measured history yet; " + best.providerId()
                    + " is taken first, and measurement starts with this request.", details);
        }
        String why = fastest
                ? "Fastest measured answer: " + bestQuality.averageAnswerMs() + " ms on average over " + bestQuality.answered()
                + " answers (hub timestamps, 90 days)."
                : String.format(java.util.Locale.ROOT, "Best measured quality: %.0f%% answered on time and not rejected"
                + " over %d requests (rejections %.0f%%, overdue %.0f%%).", bestQuality.score() * 100,
                bestQuality.sent(), bestQuality.rejectionRate() * 100, bestQuality.overdueRate() * 100);
        return choice(best, why, details);
    }

    /** Measured beats unmeasured; then the shorter mean answer time, or the higher quality score. */
    private static boolean better(ProviderRegistry.Quality q, ProviderRegistry.Quality best, boolean fastest) {
        boolean measured = fastest ? q.averageAnswerMs() != null : q.sent() > 0;
        boolean bestMeasured = fastest ? best.averageAnswerMs() != null : best.sent() > 0;
        if (measured != bestMeasured) {
            return measured;
        }
        if (!measured) {
            return false;
        }
        return fastest ? q.averageAnswerMs() < best.averageAnswerMs() : q.score() > best.score();
    }

    private record Priced(ProviderRegistry.Offer offer, BigDecimal price, String currency, BigDecimal gbp,
                          String source) {}

    private Choice cheapest(List<ProviderRegistry.Offer> offers, String reference, Service service,
                            TransactionFacts facts, int deadlineMs, Map<String, Object> details) {
        List<CompletableFuture<Optional<Priced>>> asks = new ArrayList<>();
        for (ProviderRegistry.Offer o : offers) {
            asks.add(o.quoteUrl() == null
                    ? CompletableFuture.completedFuture(listPrice(o))
                    : quote(o, reference, service, facts, deadlineMs));
        }
        // every quote runs at once; whatever has not answered by the deadline is left out
        try {
            CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).get(deadlineMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException late) {
            // the ones still running are counted as missing below
        } catch (Exception e) {
            // a failed quote is missing, not fatal
        }
        List<Priced> priced = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, Object> quotes = new LinkedHashMap<>();
        for (int i = 0; i < offers.size(); i++) {
            CompletableFuture<Optional<Priced>> ask = asks.get(i);
            Optional<Priced> p = ask.isDone() && !ask.isCompletedExceptionally() ? ask.join() : Optional.empty();
            if (p.isPresent() && p.get().gbp() != null) {
                priced.add(p.get());
                quotes.put(offers.get(i).providerId(), p.get().price().toPlainString() + " " + p.get().currency()
                        + " (" + p.get().source() + ")");
            } else {
                ask.cancel(true);
                missing.add(offers.get(i).providerId());
                quotes.put(offers.get(i).providerId(), "no price within " + deadlineMs + " ms");
            }
        }
        details.put("quotes", quotes);
        details.put("deadlineMs", deadlineMs);
        if (priced.isEmpty()) {
            return choice(offers.get(0), "No candidate priced " + service.label + " within " + deadlineMs
                    + " ms; " + offers.get(0).providerId() + " is taken as the first candidate.", details);
        }
        Priced best = priced.stream().min(Comparator.comparing(Priced::gbp)
                .thenComparing(p -> p.offer().providerId())).orElseThrow();
        String reason = "Cheapest of " + priced.size() + " price(s): " + best.price().toPlainString() + " "
                + best.currency() + " (" + best.source() + ")"
                + (missing.isEmpty() ? "." : "; no price in time from " + String.join(", ", missing) + ".");
        return choice(best.offer(), reason, details);
    }

    private Optional<Priced> listPrice(ProviderRegistry.Offer o) {
        if (o.listPrice() == null || o.priceCurrency() == null) {
            return Optional.empty();
        }
        BigDecimal price = o.listPrice().stripTrailingZeros();
        price = price.scale() < 2 ? price.setScale(2) : price; // the database keeps 4 decimals
        return Optional.of(new Priced(o, price, o.priceCurrency(),
                TransactionFacts.toGbp(o.listPrice(), o.priceCurrency(), rates), "list price"));
    }

    private CompletableFuture<Optional<Priced>> quote(ProviderRegistry.Offer o, String reference, Service service,
                                                      TransactionFacts facts, int deadlineMs) {
        try {
            Map<String, Object> ask = new LinkedHashMap<>();
            ask.put("reference", reference);
            ask.put("service", service.id);
            ask.put("destinationCountry", facts.destinationCountry());
            ask.put("serviceLevel", facts.laneServiceLevel());
            ask.put("grossKg", facts.grossKg() == null ? null : facts.grossKg().toPlainString());
            ask.put("value", facts.grandTotal() == null ? null : facts.grandTotal().toPlainString());
            ask.put("currency", facts.currency());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(o.quoteUrl()))
                    .timeout(Duration.ofMillis(deadlineMs))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(ask)));
            String token = registry.find(o.providerId()).map(ProviderRegistry.Provider::outboundToken).orElse(null);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(r -> r.statusCode() == 200 ? readQuote(o, r.body()) : Optional.<Priced>empty())
                    .exceptionally(e -> Optional.empty());
        } catch (Exception e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    /** A quote is {"price": "12.50", "currency": "GBP"}; anything else counts as no quote. */
    private Optional<Priced> readQuote(ProviderRegistry.Offer o, byte[] body) {
        try {
            JsonNode q = json.readTree(body);
            BigDecimal price = new BigDecimal(q.get("price").asText());
            String currency = q.get("currency").asText();
            if (price.signum() < 0 || !currency.matches("[A-Z]{3}")) {
                return Optional.empty();
            }
            return Optional.of(new Priced(o, price, currency, TransactionFacts.toGbp(price, currency, rates), "quote"));
        } catch (Exception unreadable) {
            return Optional.empty();
        }
    }

    private record Policy(String name, String fixedProvider, int quoteDeadlineMs) {}

    private Policy policy(String tenantId, Service service) {
        return jdbc.query("select policy, fixed_provider_id, quote_deadline_ms from service_subscription"
                        + " where tenant_id = ? and service = ?", (rs, i) -> new Policy(rs.getString(1), rs.getString(2),
                        rs.getInt(3)), tenantId, service.id).stream().findFirst()
                .orElse(new Policy("CHEAPEST", null, config.defaultQuoteDeadlineMs()));
    }
}
