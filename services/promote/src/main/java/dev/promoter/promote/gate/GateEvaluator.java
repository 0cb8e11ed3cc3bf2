package dev.promoter.promote.gate;

import dev.promoter.promote.definition.ApprovalDefinition;
import dev.promoter.promote.definition.FreezeWindow;
import dev.promoter.promote.definition.GateDefinition;
import dev.promoter.promote.definition.People;
import dev.promoter.promote.definition.PromotionMode;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.contracts.Digest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, for one digest waiting to enter one stage, which gates are met and says why in plain words: a pure
 * function of the stage's definition, the people it names, the facts and the time. Gates in the order they are
 * shown: stopped (only while the line is), quarantine (only while there is one), suites, pin, freeze, soak,
 * approvals, manual.
 */
public final class GateEvaluator {

    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private GateEvaluator() {
    }

    /** Whether the stage asks anything of a digest besides its previous stage's suites. */
    public static boolean gated(StageDefinition stage) {
        return stage.promotion() == PromotionMode.MANUAL || !stage.gates().isEmpty();
    }

    /**
     * The rules a request was asked under, where they differ from the stage's current ones: the revision of the
     * pipeline definition it was opened under, the stage and people as they were then, and the facts as those people
     * read them (who the author is, who each vote was).
     */
    public record AskedUnder(int revision, StageDefinition stage, People people, GateFacts facts) {
    }

    /**
     * The verdict under the current rules and, when the request was asked under other ones, under those too: a gate
     * the earlier rules leave unmet stays unmet (marked "as asked under revision n"), so a change of rules never
     * turns the approvals already given into enough by itself, while a stricter rule applies at once.
     */
    public static GateEvaluation evaluate(StageDefinition stage, People people, GateFacts facts, Instant now,
                                          AskedUnder asked) {
        GateEvaluation current = evaluate(stage, people, facts, now);
        if (asked == null) {
            return current;
        }
        List<GateStatus> all = new ArrayList<>(current.gates());
        for (GateStatus then : evaluate(asked.stage(), asked.people(), asked.facts(), now).gates()) {
            if (!then.met() && !then.gate().judgesFacts()
                    && all.stream().noneMatch(status -> status.words().equals(then.words()))) {
                all.add(new GateStatus(then.gate(), then.state(), then.words() + " (as asked under revision "
                        + asked.revision() + ")", then.changesAt(), then.ending()));
            }
        }
        return new GateEvaluation(all);
    }

    /**
     * Why {@code identity} may not decide on the request under its current rules or, when it was asked under
     * others, under those; null when they may.
     */
    public static String refusal(StageDefinition stage, People people, GateFacts facts, String identity,
                                 AskedUnder asked) {
        return refusal(stage, people, facts, identity, asked, Set.of());
    }

    /** As above, for a caller whose OIDC token puts them in {@code callerGroups} (matched by {@code @group}). */
    public static String refusal(StageDefinition stage, People people, GateFacts facts, String identity,
                                 AskedUnder asked, Set<String> callerGroups) {
        String refusal = refusal(stage, people, facts, people.personOf(identity), callerGroups);
        if (refusal == null && asked != null) {
            String then = refusal(asked.stage(), asked.people(), asked.facts(), asked.people().personOf(identity),
                    callerGroups);
            if (then != null) {
                return then + " (the request was asked under revision " + asked.revision() + " of the pipeline"
                        + " definition; changed rules apply to requests opened after the change)";
            }
        }
        return refusal;
    }

    public static GateEvaluation evaluate(StageDefinition stage, People people, GateFacts facts, Instant now) {
        GateDefinition gates = stage.gates();
        List<GateStatus> statuses = new ArrayList<>();
        String previous = facts.previousStage();

        // Stop means stop: nothing enters any stage, by the pipeline or by hand, until someone resumes the line.
        if (facts.stop() != null) {
            statuses.add(waiting(Gate.STOPPED, stopped(facts.stop()), null));
        }

        // Waiting rather than blocked: lifting the quarantine (an explicit, audited call) lets the request go on.
        if (facts.quarantine() != null) {
            statuses.add(waiting(Gate.QUARANTINE, shortDigest(facts.digest()) + " is quarantined in "
                    + facts.quarantine().stage() + " (" + facts.quarantine().reason() + "); lift the quarantine to let"
                    + " it in", null));
        }

        statuses.add(facts.suitesPassed()
                ? met(Gate.SUITES, previous == null ? "first stage: no suites before it" : "suites passed in " + previous)
                : waiting(Gate.SUITES, "waiting for the suites of " + previous + " to pass", null));

        if (facts.pin() != null && !facts.pin().digest().equals(facts.digest())) {
            statuses.add(waiting(Gate.PIN, stage.name() + " is pinned at " + shortDigest(facts.pin().digest()) + " by "
                    + facts.pin().by() + (blank(facts.pin().reason()) ? "" : " (" + facts.pin().reason() + ")")
                    + "; unpin it to let promotions in", null));
        }

        boolean hotfixNeedsApproval = false;
        if (!gates.freeze().isEmpty()) {
            Frozen frozen = frozenUntil(gates.freeze(), now);
            if (frozen == null) {
                statuses.add(met(Gate.FREEZE, "no freeze window now"));
            } else if (facts.hotfix()) {
                hotfixNeedsApproval = true;
                statuses.add(met(Gate.FREEZE, "in a freeze until " + frozen.words() + ", let through as a hotfix (label "
                        + gates.hotfixLabel() + ") that needs an approval of its own"));
            } else {
                statuses.add(waiting(Gate.FREEZE, "freeze ends " + frozen.words(), frozen.end()));
            }
        }

        if (gates.soak() != null) {
            statuses.add(soak(gates.soak(), facts, previous, now));
        }

        ApprovalDefinition approvals = gates.approvals();
        if (approvals == null && hotfixNeedsApproval) {
            approvals = new ApprovalDefinition(1, List.of(), null);
        }
        if (approvals != null) {
            statuses.add(approvals(approvals, people, facts, now));
        }

        if (stage.promotion() == PromotionMode.MANUAL) {
            statuses.add(facts.promotedBy() != null
                    ? met(Gate.MANUAL, "promoted by hand by " + facts.promotedBy())
                    : waiting(Gate.MANUAL, "waiting for someone to promote it by hand (promotion: manual)", null));
        }
        return new GateEvaluation(statuses);
    }

    /** "the line of every application is stopped by ada since 2026-12-07 17:50 UTC (incident 42); resume …". */
    public static String stopped(GateFacts.Stop stop) {
        return "the line of " + (stop.application() == null ? "every application" : stop.application())
                + " is stopped by " + stop.by() + " since " + UTC.format(stop.at())
                + (blank(stop.reason()) ? "" : " (" + stop.reason() + ")") + "; resume it to let promotions in";
    }

    private static GateStatus soak(Duration soak, GateFacts facts, String previous, Instant now) {
        String where = previous == null ? "since it was built" : "in " + previous;
        if (facts.soakSince() == null) {
            return waiting(Gate.SOAK, "waiting for " + shortDigest(facts.digest()) + " to be healthy in " + previous
                    + " before its " + human(soak) + " soak starts", null);
        }
        Instant done = facts.soakSince().plus(soak);
        if (!now.isBefore(done)) {
            return met(Gate.SOAK, "soaked " + human(soak) + " " + where);
        }
        Duration so = Duration.between(facts.soakSince(), now);
        return waiting(Gate.SOAK, "soaking " + where + ": " + human(so) + " of " + human(soak) + ", done at "
                + UTC.format(done), done);
    }

    private static GateStatus approvals(ApprovalDefinition rule, People people, GateFacts facts, Instant now) {
        String from = People.describe(rule.from());
        for (GateFacts.Vote vote : facts.votes()) {
            if (!vote.approve() && admitted(rule, people, facts, vote)) {
                return GateStatus.blocked(Gate.APPROVALS, GateStatus.Ending.REJECTED, "rejected by " + vote.person()
                        + (blank(vote.comment()) ? "" : " (" + vote.comment() + ")")
                        + "; only a new request can bring this digest in");
            }
        }
        Set<String> approvedBy = new LinkedHashSet<>();
        for (GateFacts.Vote vote : facts.votes()) {
            if (vote.approve() && admitted(rule, people, facts, vote)) {
                approvedBy.add(vote.person());
            }
        }
        String so = approvedBy.isEmpty() ? "" : " (approved by " + String.join(", ", approvedBy) + ")";
        if (approvedBy.size() >= rule.count()) {
            return met(Gate.APPROVALS, "approved by " + String.join(", ", approvedBy));
        }
        Instant lapses = rule.expiry() == null ? null : facts.requestedAt().plus(rule.expiry());
        if (lapses != null && !now.isBefore(lapses)) {
            return GateStatus.blocked(Gate.APPROVALS, GateStatus.Ending.LAPSED, "the approval request lapsed at "
                    + UTC.format(lapses) + so + "; only a new request can bring this digest in");
        }
        int missing = rule.count() - approvedBy.size();
        return waiting(Gate.APPROVALS, "waiting for " + missing + " more approval" + (missing == 1 ? "" : "s")
                + " from " + from + so + (lapses == null ? "" : ", lapses at " + UTC.format(lapses)), lapses);
    }

    /** The digest's author never counts (four eyes), nor does anyone the rule does not admit. */
    private static boolean admitted(ApprovalDefinition rule, People people, GateFacts facts, GateFacts.Vote vote) {
        return !vote.person().equals(facts.author()) && people.admits(rule.from(), vote.person(), vote.groups());
    }

    /**
     * Why {@code person} may not decide on this request, or null when they may: not an approver, the commit's
     * author, or someone who already decided.
     */
    public static String refusal(StageDefinition stage, People people, GateFacts facts, String person) {
        return refusal(stage, people, facts, person, Set.of());
    }

    /** As {@link #refusal(StageDefinition, People, GateFacts, String)}, for a caller in identity-provider groups. */
    public static String refusal(StageDefinition stage, People people, GateFacts facts, String person,
                                 Set<String> callerGroups) {
        ApprovalDefinition rule = stage.gates().approvals();
        if (rule == null) {
            rule = new ApprovalDefinition(1, List.of(), null);
        }
        if (person.equals(facts.author())) {
            return "you wrote the commit of " + shortDigest(facts.digest())
                    + "; four eyes: someone else must approve it for " + stage.name();
        }
        if (!people.admits(rule.from(), person, callerGroups)) {
            return "you are not among the approvers of " + stage.name() + " (" + People.describe(rule.from()) + ")";
        }
        for (GateFacts.Vote vote : facts.votes()) {
            if (vote.person().equals(person)) {
                return "you already " + (vote.approve() ? "approved" : "rejected") + " " + shortDigest(facts.digest())
                        + " for " + stage.name() + "; one person counts once";
            }
        }
        return null;
    }

    /** The end of the freeze {@code now} is in, following windows that overlap or touch; null when not frozen. */
    static Frozen frozenUntil(List<FreezeWindow> windows, Instant now) {
        Instant at = now;
        FreezeWindow last = null;
        // Bounded: each step moves at least to a later end; twenty windows cannot chain further than that.
        for (int step = 0; step <= windows.size(); step++) {
            FreezeWindow holding = null;
            Instant end = null;
            for (FreezeWindow window : windows) {
                var inside = window.endIfInside(at);
                if (inside.isPresent() && (end == null || inside.get().isAfter(end))) {
                    end = inside.get();
                    holding = window;
                }
            }
            if (holding == null) {
                break;
            }
            at = end;
            last = holding;
        }
        return last == null ? null : new Frozen(at, last.zone(), last);
    }

    record Frozen(Instant end, ZoneId zone, FreezeWindow window) {
        String words() {
            return ZONED.format(end.atZone(zone)) + " " + zone.getId();
        }
    }

    /** sha256:0123456789ab, as people read digests. */
    static String shortDigest(String digest) {
        try {
            return Digest.parse(digest).shortForm();
        } catch (RuntimeException e) {
            return digest;
        }
    }

    /** 1d 2h 3m, as people read a duration; seconds only below a minute. */
    static String human(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append("d");
        }
        if (hours > 0) {
            text.append(text.isEmpty() ? "" : " ").append(hours).append("h");
        }
        if (minutes > 0) {
            text.append(text.isEmpty() ? "" : " ").append(minutes).append("m");
        }
        return text.toString();
    }

    private static GateStatus met(Gate gate, String words) {
        return new GateStatus(gate, GateStatus.State.MET, words, null);
    }

    private static GateStatus waiting(Gate gate, String words, Instant changesAt) {
        return new GateStatus(gate, GateStatus.State.WAITING, words, changesAt);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
