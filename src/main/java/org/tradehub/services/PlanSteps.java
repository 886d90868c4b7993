package org.tradehub.services;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.Ids;

/**
 * The steps of a transaction's service plan and their states: PENDING, SENT, ACKNOWLEDGED, ACCEPTED, REJECTED (with
 * a reason), DONE, and FAILED (with a reason: its message was parked after every retry; a replay or a re-run moves
 * it on). States only move forward (answers can arrive out of order); REJECTED and DONE are final. FAILED is not:
 * a provider that seemed down may still have taken the request and answer it. Callers own the database transaction.
 */
@Component
public class PlanSteps {

    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    private static final List<String> ORDER = List.of(PENDING, SENT, ACKNOWLEDGED, ACCEPTED, DONE);

    private final JdbcTemplate jdbc;
    private final Ledger ledger;

    public PlanSteps(JdbcTemplate jdbc, Ledger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    public record Step(String id, String transactionId, String tenantId, String service, String state,
                       String reference, String providerId, String choiceReason, String providerReference,
                       String reason, String consolidationId, Instant sentAt, Instant dueAt, Instant answeredAt,
                       int attemptNo) {
        public boolean isFinal() {
            return REJECTED.equals(state) || DONE.equals(state);
        }
    }

    /** Creates the step unless the transaction has it already; true when created. */
    public boolean createIfAbsent(String transactionId, String tenantId, Service service, String choiceReason) {
        String prefix = service == Service.EXPORT_DECLARATION ? "DC" : "SV";
        return jdbc.update("insert into plan_step (id, transaction_id, tenant_id, service, state, reference,"
                        + " choice_reason, attempts, created_at, updated_at) values (?, ?, ?, ?, 'PENDING', ?, ?, 0, ?, ?)"
                        + " on conflict do nothing", Ids.timeOrdered().toString(), transactionId, tenantId, service.id,
                newReference(prefix), choiceReason, now(), now()) == 1;
    }

    /** A reference of 22 characters, unique, that the provider quotes back in every answer. */
    public static String newReference(String prefix) {
        return (prefix + Ids.random().toString().replace("-", "")).substring(0, 22).toUpperCase(Locale.ROOT);
    }

    public Optional<Step> find(String transactionId, String service) {
        return jdbc.query(SELECT + " where transaction_id = ? and service = ?", PlanSteps::step, transactionId, service)
                .stream().findFirst();
    }

    public Optional<Step> byId(String id) {
        return jdbc.query(SELECT + " where id = ?", PlanSteps::step, id).stream().findFirst();
    }

    /** The step row locked for this database transaction (answers and sends of one step never interleave). */
    public Optional<Step> lock(String id) {
        return jdbc.query(SELECT + " where id = ? for update", PlanSteps::step, id).stream().findFirst();
    }

    public Optional<Step> byReference(String reference) {
        return jdbc.query(SELECT + " where reference = ?", PlanSteps::step, reference).stream().findFirst();
    }

    public List<Step> ofTransaction(String transactionId) {
        return jdbc.query(SELECT + " where transaction_id = ? order by created_at, service", PlanSteps::step,
                transactionId);
    }

    public List<Step> ofConsolidation(String consolidationId) {
        return jdbc.query(SELECT + " where consolidation_id = ? order by created_at", PlanSteps::step, consolidationId);
    }

    public void chooseProvider(String stepId, String providerId, String reason) {
        jdbc.update("update plan_step set provider_id = ?, choice_reason = ?, updated_at = ? where id = ?",
                providerId, reason, now(), stepId);
    }

    public void countAttempt(String stepId) {
        jdbc.update("update plan_step set attempts = attempts + 1, updated_at = ? where id = ?", now(), stepId);
    }

    public void joinConsolidation(String stepId, String consolidationId) {
        jdbc.update("update plan_step set consolidation_id = ?, updated_at = ? where id = ?", consolidationId, now(),
                stepId);
    }

    /** The request is with the provider: answers are due within the provider's answer time. */
    public void sent(String stepId, String documentId, String providerReference, int answerWithinSeconds) {
        markSent("id = ?", documentId, providerReference, answerWithinSeconds, stepId);
    }

    /** {@link #sent} on the steps the condition selects (its parameters last). */
    private void markSent(String where, String documentId, String providerReference, int answerWithinSeconds,
                          Object... whereArgs) {
        Instant now = ledger.now();
        List<Object> args = new ArrayList<>(Arrays.asList(documentId, providerReference, Timestamp.from(now),
                Timestamp.from(now.plusSeconds(answerWithinSeconds)), Timestamp.from(now)));
        args.addAll(List.of(whereArgs));
        jdbc.update("update plan_step set state = case when state = 'PENDING' then 'SENT' else state end,"
                + " document_id = coalesce(?, document_id), provider_reference = coalesce(?, provider_reference),"
                + " sent_at = coalesce(sent_at, ?), due_at = coalesce(due_at, ?), updated_at = ? where " + where,
                args.toArray());
    }

    /**
     * Moves a step to a state named by an answer, forward only. Returns false when the state stays (the step is
     * already there or further on, or final). A rejection's reason is kept on the step.
     */
    public boolean advance(Step step, String state, String reason, String providerReference) {
        if (step.isFinal() || state == null) {
            return false;
        }
        boolean forward = REJECTED.equals(state) || ORDER.indexOf(state) > ORDER.indexOf(step.state());
        Instant now = ledger.now();
        jdbc.update("update plan_step set state = ?, reason = coalesce(?, reason),"
                        + " provider_reference = coalesce(?, provider_reference),"
                        + " answered_at = coalesce(answered_at, ?), updated_at = ? where id = ?",
                forward ? state : step.state(), reason, providerReference,
                SENT.equals(state) || PENDING.equals(state) ? null : Timestamp.from(now), Timestamp.from(now), step.id());
        return forward;
    }

    /** The step's reason in plain words (e.g. a broker's acceptance with the MRN). */
    public void explain(String stepId, String reason) {
        jdbc.update("update plan_step set reason = ?, updated_at = ? where id = ?", cut(reason), now(), stepId);
    }

    /**
     * The declaration flow's outcomes, on the plan's declaration step (if the transaction has a plan): the rules of
     * {@link #sent} and {@link #advance} as one conditional update each, without reading the step first. The database
     * decides on the step as it is when written, so two of the single window's answers recorded at the same moment
     * cannot move it back (a read and a later write could), and each answer costs one statement instead of two.
     */
    public void declarationOutcome(String transactionId, String state, String reason) {
        declarationStep(transactionId, state, reason, "'REJECTED', 'DONE'");
    }

    /**
     * The single window's decision (ACCEPTED or REJECTED) on a declaration whose step an acknowledgement had already
     * REJECTED: a CONTRL refusing the CUSDEC's interchange says the single window could not read it, its CUSRES says
     * what it decided on the declaration, and the decision is what the firm acts on. Only DONE stays.
     */
    public void declarationDecided(String transactionId, String state, String reason) {
        if (!ACCEPTED.equals(state) && !REJECTED.equals(state)) {
            throw new IllegalArgumentException("not a decision: " + state);
        }
        declarationStep(transactionId, state, reason, "'DONE'");
    }

    private void declarationStep(String transactionId, String state, String reason, String finalStates) {
        if (SENT.equals(state)) {
            markSent("transaction_id = ? and service = ?", null, null, 86_400, transactionId,
                    Service.EXPORT_DECLARATION.id);
            return;
        }
        Instant now = ledger.now();
        if (!REJECTED.equals(state) && ORDER.indexOf(state) < 0) {
            throw new IllegalArgumentException("not a declaration outcome: " + state);
        }
        // a rejection always moves the step on; any other state unless the step is at it or further on already
        List<String> atOrAfter = REJECTED.equals(state) ? List.of() : ORDER.subList(ORDER.indexOf(state), ORDER.size());
        List<Object> args = new ArrayList<>(atOrAfter);
        args.addAll(Arrays.asList(state, reason, Timestamp.from(now), Timestamp.from(now), transactionId,
                Service.EXPORT_DECLARATION.id));
        jdbc.update("update plan_step set state = "
                + (atOrAfter.isEmpty() ? "?" : "case when state not in (" + String.join(", ",
                        Collections.nCopies(atOrAfter.size(), "?")) + ") then ? else state end")
                + ", reason = coalesce(?, reason), answered_at = coalesce(answered_at, ?), updated_at = ?"
                + " where transaction_id = ? and service = ? and state not in (" + finalStates + ")", args.toArray());
    }

    /**
     * The step's message was parked after every retry: FAILED with the reason, unless the step moved on meanwhile
     * (an answer arrived). True when the step changed.
     */
    public boolean failed(String stepId, String reason) {
        return jdbc.update("update plan_step set state = 'FAILED', reason = ?, updated_at = ? where id = ?"
                + " and state = 'PENDING'", cut(reason), now(), stepId) == 1;
    }

    /** A FAILED step is sent again (its parked message was replayed): PENDING, same provider and reference. */
    public boolean resume(String stepId) {
        return jdbc.update("update plan_step set state = 'PENDING', reason = null, updated_at = ? where id = ?"
                + " and state = 'FAILED'", now(), stepId) == 1;
    }

    /**
     * Re-runs a REJECTED or FAILED step: its current attempt is archived (plan_step_attempt, where answers quoting
     * it are still recognised) and the step is PENDING again without provider, for the policy to choose anew. The
     * reference stays for now: {@link #newAttemptReference} replaces it unless the same provider gets the same
     * unanswered request again. Returns the new attempt number.
     */
    public int rerun(Step step, String actor) {
        Instant now = ledger.now();
        jdbc.update("insert into plan_step_attempt (step_id, attempt_no, reference, provider_id, state, reason,"
                        + " provider_reference, document_id, sent_at, answered_at, ended_at, ended_by)"
                        + " select id, attempt_no, reference, provider_id, state, reason, provider_reference, document_id,"
                        + " sent_at, answered_at, ?, ? from plan_step where id = ?", Timestamp.from(now), actor, step.id());
        jdbc.update("update plan_step set state = 'PENDING', attempt_no = attempt_no + 1, provider_id = null,"
                + " provider_reference = null, reason = null, consolidation_id = null, document_id = null, sent_at = null,"
                + " due_at = null, answered_at = null, updated_at = ? where id = ?", Timestamp.from(now), step.id());
        return step.attemptNo() + 1;
    }

    public record Attempt(int attemptNo, String reference, String providerId, String state) {}

    /** The step's earlier attempts, newest first. */
    public List<Attempt> attempts(String stepId) {
        return jdbc.query("select attempt_no, reference, provider_id, state from plan_step_attempt where step_id = ?"
                + " order by attempt_no desc", (rs, i) -> new Attempt(rs.getInt(1), rs.getString(2), rs.getString(3),
                rs.getString(4)), stepId);
    }

    /** The earlier attempt a reference belongs to, if the step was re-run since. */
    public Optional<Attempt> earlierAttempt(String stepId, String reference) {
        return attempts(stepId).stream().filter(a -> a.reference().equals(reference)).findFirst();
    }

    /** The steps whose earlier attempt (with this provider) had this reference. */
    public List<Step> byEarlierReference(String reference, String providerId) {
        return jdbc.query(SELECT + " where id in (select step_id from plan_step_attempt where reference = ? and"
                + " provider_id = ?) and reference <> ?", PlanSteps::step, reference, providerId, reference);
    }

    /** An answer to an earlier attempt is kept on that attempt (forward only), never applied to the current one. */
    public void earlierAttemptAnswered(String stepId, String reference, String state) {
        if (state != null) {
            jdbc.update("update plan_step_attempt set state = ?, answered_at = coalesce(answered_at, ?) where step_id = ?"
                    + " and reference = ? and state not in ('DONE')", state, now(), stepId, reference);
        }
    }

    /**
     * A re-run gets a new reference (the provider's idempotency key), unless the same provider gets again the
     * request of a FAILED attempt it never answered: then the same key lets it recognise a request it did take.
     */
    public String newAttemptReference(Step step, String providerId) {
        Optional<Attempt> last = attempts(step.id()).stream().findFirst();
        if (last.isEmpty() || (FAILED.equals(last.get().state()) && providerId.equals(last.get().providerId())
                && last.get().reference().equals(step.reference()))) {
            return step.reference();
        }
        String reference = newReference(Service.EXPORT_DECLARATION.id.equals(step.service()) ? "DC" : "SV");
        jdbc.update("update plan_step set reference = ?, updated_at = ? where id = ?", reference, now(), step.id());
        return reference;
    }

    static String cut(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    /** The plan as the tracking API shows it: COMPLETE when every step is ACCEPTED or DONE. */
    public Map<String, Object> view(String transactionId) {
        List<Step> steps = ofTransaction(transactionId);
        Map<String, String> names = new LinkedHashMap<>();
        jdbc.query("select p.id, p.legal_name from provider p where p.id in (select provider_id from plan_step"
                + " where transaction_id = ?)", rs -> {
                    names.put(rs.getString(1), rs.getString(2));
                }, transactionId);
        String state = steps.isEmpty() ? "NONE"
                : steps.stream().anyMatch(s -> REJECTED.equals(s.state()) || FAILED.equals(s.state())) ? "FAILED"
                : steps.stream().allMatch(s -> ACCEPTED.equals(s.state()) || DONE.equals(s.state())) ? "COMPLETE"
                : "IN_PROGRESS";
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("state", state);
        plan.put("steps", steps.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("service", s.service());
            m.put("state", s.state());
            m.put("attempt", s.attemptNo());
            m.put("reference", s.reference());
            m.put("provider", s.providerId());
            m.put("providerName", s.providerId() == null ? null : names.get(s.providerId()));
            m.put("choiceReason", s.choiceReason());
            m.put("providerReference", s.providerReference());
            m.put("reason", s.reason());
            m.put("consolidationId", s.consolidationId());
            m.put("sentAt", s.sentAt() == null ? null : s.sentAt().toString());
            m.put("dueAt", s.dueAt() == null ? null : s.dueAt().toString());
            m.put("answeredAt", s.answeredAt() == null ? null : s.answeredAt().toString());
            return m;
        }).toList());
        plan.put("flaggedAnswers", jdbc.queryForList("select reference, answer_type, status, note, received_at"
                + " from provider_answer where transaction_id = ? and status <> 'APPLIED' order by received_at",
                transactionId).stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("reference", r.get("reference"));
                    m.put("type", r.get("answer_type"));
                    m.put("flag", r.get("status"));
                    m.put("note", r.get("note"));
                    m.put("receivedAt", String.valueOf(r.get("received_at")));
                    return m;
                }).toList());
        return plan;
    }

    private Timestamp now() {
        return Timestamp.from(ledger.now());
    }

    private static final String SELECT = "select id, transaction_id, tenant_id, service, state, reference, provider_id,"
            + " choice_reason, provider_reference, reason, consolidation_id, sent_at, due_at, answered_at, attempt_no"
            + " from plan_step";

    private static Step step(ResultSet rs, int i) throws SQLException {
        return new Step(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)), rs.getInt(15));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
