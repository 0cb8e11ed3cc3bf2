package dev.promoter.promote.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.promote.definition.ApprovalDefinition;
import dev.promoter.promote.definition.FreezeWindow;
import dev.promoter.promote.definition.GateDefinition;
import dev.promoter.promote.definition.People;
import dev.promoter.promote.definition.PromotionMode;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.GateStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GateEvaluatorTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);
    // Wed 2026-11-25 10:00Z: outside the weekend freeze.
    private static final Instant WEDNESDAY = Instant.parse("2026-11-25T10:00:00Z");
    // Sat 2026-11-28 10:00Z: inside it.
    private static final Instant SATURDAY = Instant.parse("2026-11-28T10:00:00Z");
    private static final FreezeWindow WEEKEND = FreezeWindow.of("Fri 16:00", "Mon 08:00", ZoneId.of("Europe/Prague"));

    private static final People PEOPLE = new People(Map.of(
            "ada", new People.Person("ada", List.of("U0ADA"), List.of("ada-cli"), List.of("ada", "ada@example.com")),
            "bob", new People.Person("bob", List.of("U0BOB"), List.of("bob-cli"), List.of("bob")),
            "cyd", new People.Person("cyd", List.of("U0CYD"), List.of(), List.of("cyd")),
            "eve", new People.Person("eve", List.of("U0EVE"), List.of(), List.of())),
            Map.of("release-managers", List.of("ada", "bob", "cyd")));

    private static StageDefinition stage(GateDefinition gates) {
        return new StageDefinition("prod", List.of(), null, null, PromotionMode.AUTO, gates);
    }

    private static GateDefinition approvals(int count, Duration expiry) {
        return new GateDefinition(null, new ApprovalDefinition(count, List.of("@release-managers"), expiry), List.of(), null);
    }

    private static GateFacts facts(List<GateFacts.Vote> votes) {
        return new GateFacts(DIGEST, "stage", true, WEDNESDAY.minusSeconds(3600), "ada", false,
                WEDNESDAY.minusSeconds(60), votes, null, null);
    }

    private static GateFacts.Vote approve(String person) {
        return new GateFacts.Vote(person, true, WEDNESDAY.minusSeconds(30), null);
    }

    private static GateStatus gate(GateEvaluation evaluation, String name) {
        return evaluation.gates().stream().filter(g -> g.gate().word().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aStageWithoutGatesIsOpenOnceTheSuitesPassed() {
        GateEvaluation evaluation = GateEvaluator.evaluate(stage(GateDefinition.NONE), PEOPLE, facts(List.of()), WEDNESDAY);
        assertThat(evaluation.open()).isTrue();
        assertThat(evaluation.explanation()).isEqualTo("all gates met");
        assertThat(GateEvaluator.gated(stage(GateDefinition.NONE))).isFalse();
    }

    @Test
    void suitesNotPassedKeepItWaiting() {
        GateFacts facts = new GateFacts(DIGEST, "stage", false, null, null, false, WEDNESDAY, List.of(), null, null);
        GateEvaluation evaluation = GateEvaluator.evaluate(stage(GateDefinition.NONE), PEOPLE, facts, WEDNESDAY);
        assertThat(evaluation.open()).isFalse();
        assertThat(evaluation.explanation()).isEqualTo("waiting for the suites of stage to pass");
    }

    @Test
    void aQuarantinedDigestWaitsEvenWithEveryOtherGateMet() {
        GateFacts approved = facts(List.of(approve("bob"), approve("cyd")));
        GateFacts quarantined = new GateFacts(approved.digest(), approved.previousStage(), true, approved.soakSince(),
                approved.author(), false, approved.requestedAt(), approved.votes(), null, null,
                new GateFacts.Quarantine("stage", "health check failed: HTTP 503, HTTP 503, HTTP 503"));

        GateEvaluation evaluation = GateEvaluator.evaluate(stage(approvals(2, null)), PEOPLE, quarantined, WEDNESDAY);

        assertThat(GateEvaluator.evaluate(stage(approvals(2, null)), PEOPLE, approved, WEDNESDAY).open()).isTrue();
        assertThat(evaluation.open()).isFalse();
        assertThat(evaluation.blocked()).as("lifting the quarantine lets it go on").isFalse();
        assertThat(gate(evaluation, "quarantine").words()).isEqualTo(DIGEST.substring(7, 19) + " is quarantined in stage"
                + " (health check failed: HTTP 503, HTTP 503, HTTP 503); lift the quarantine to let it in");
    }

    @Test
    void approvalsCountDistinctPeopleUnderAnyOfTheirIdentities() {
        GateDefinition gates = approvals(2, null);
        GateEvaluation one = GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("bob"), approve("bob"))), WEDNESDAY);
        assertThat(one.open()).isFalse();
        assertThat(one.explanation()).isEqualTo("waiting for 1 more approval from @release-managers (approved by bob)");

        GateEvaluation two = GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("bob"), approve("cyd"))), WEDNESDAY);
        assertThat(two.open()).isTrue();
        assertThat(gate(two, "approvals").words()).isEqualTo("approved by bob, cyd");
    }

    @Test
    void theAuthorsApprovalNeverCounts() {
        GateEvaluation evaluation = GateEvaluator.evaluate(stage(approvals(1, null)), PEOPLE, facts(List.of(approve("ada"))), WEDNESDAY);
        assertThat(evaluation.open()).isFalse();
        assertThat(evaluation.explanation()).isEqualTo("waiting for 1 more approval from @release-managers");
        assertThat(PEOPLE.personOf("git:ADA@example.com")).isEqualTo("ada");
        assertThat(PEOPLE.personOf("slack:U0ADA")).isEqualTo("ada");
        assertThat(PEOPLE.personOf("api:ada-cli")).isEqualTo("ada");
    }

    @Test
    void anOutsidersApprovalNeverCounts() {
        GateEvaluation evaluation = GateEvaluator.evaluate(stage(approvals(1, null)), PEOPLE, facts(List.of(approve("eve"))), WEDNESDAY);
        assertThat(evaluation.open()).isFalse();
    }

    @Test
    void aRejectionBlocksForGood() {
        var reject = new GateFacts.Vote("cyd", false, WEDNESDAY, "breaks checkout");
        GateEvaluation evaluation = GateEvaluator.evaluate(stage(approvals(1, null)), PEOPLE,
                facts(List.of(approve("bob"), reject)), WEDNESDAY);
        assertThat(evaluation.open()).isFalse();
        assertThat(evaluation.blocked()).isTrue();
        assertThat(evaluation.explanation()).isEqualTo("rejected by cyd (breaks checkout); only a new request can bring this digest in");
        assertThat(evaluation.blocker().ending()).isEqualTo(GateStatus.Ending.REJECTED);
    }

    @Test
    void aRequestLapsesAtItsExpiryUnlessAlreadyApproved() {
        GateDefinition gates = approvals(1, Duration.ofHours(24));
        GateFacts open = facts(List.of());
        Instant lapse = open.requestedAt().plus(Duration.ofHours(24));
        GateEvaluation before = GateEvaluator.evaluate(stage(gates), PEOPLE, open, lapse.minusMillis(1));
        assertThat(before.blocked()).isFalse();
        assertThat(before.nextChange()).isEqualTo(lapse);
        assertThat(before.explanation()).endsWith("lapses at 2026-11-26 09:59 UTC");

        GateEvaluation after = GateEvaluator.evaluate(stage(gates), PEOPLE, open, lapse);
        assertThat(after.blocked()).isTrue();
        assertThat(after.explanation()).startsWith("the approval request lapsed at 2026-11-26 09:59 UTC");
        assertThat(after.blocker().ending()).isEqualTo(GateStatus.Ending.LAPSED);

        GateEvaluation approved = GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("bob"))), lapse.plusSeconds(5));
        assertThat(approved.open()).isTrue();
    }

    @Test
    void anEmptyFromListAdmitsEveryNamedPersonButNoStranger() {
        GateDefinition gates = new GateDefinition(null, new ApprovalDefinition(1, List.of(), null), List.of(), null);
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("eve"))), WEDNESDAY).open()).isTrue();
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("slack:U0NOBODY"))), WEDNESDAY).open()).isFalse();
    }

    @Test
    void rawIdentitiesInFromAdmitThatIdentitysPerson() {
        GateDefinition gates = new GateDefinition(null, new ApprovalDefinition(1, List.of("slack:U0EVE", "api:robot"), null), List.of(), null);
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("eve"))), WEDNESDAY).open()).isTrue();
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("api:robot"))), WEDNESDAY).open()).isTrue();
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of(approve("bob"))), WEDNESDAY).open()).isFalse();
    }

    @Test
    void aFreezeHoldsUntilItsEndInItsZone() {
        GateDefinition gates = new GateDefinition(null, null, List.of(WEEKEND), null);
        GateEvaluation frozen = GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of()), SATURDAY);
        assertThat(frozen.open()).isFalse();
        assertThat(frozen.explanation()).isEqualTo("freeze ends Mon 08:00 Europe/Prague");
        assertThat(frozen.nextChange()).isEqualTo(Instant.parse("2026-11-30T07:00:00Z"));
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of()), WEDNESDAY).open()).isTrue();
    }

    @Test
    void touchingWindowsMakeOneFreeze() {
        FreezeWindow monday = FreezeWindow.of("Mon 08:00", "Mon 12:00", ZoneId.of("Europe/Prague"));
        GateDefinition gates = new GateDefinition(null, null, List.of(WEEKEND, monday), null);
        GateEvaluation frozen = GateEvaluator.evaluate(stage(gates), PEOPLE, facts(List.of()), SATURDAY);
        assertThat(frozen.explanation()).isEqualTo("freeze ends Mon 12:00 Europe/Prague");
    }

    @Test
    void aHotfixPassesAFreezeButNeedsAnApprovalOfItsOwn() {
        GateDefinition gates = new GateDefinition(null, null, List.of(WEEKEND), "com.example.hotfix");
        GateFacts hotfix = new GateFacts(DIGEST, "stage", true, null, "ada", true, SATURDAY, List.of(), null, null);
        GateEvaluation waiting = GateEvaluator.evaluate(stage(gates), PEOPLE, hotfix, SATURDAY);
        assertThat(waiting.open()).isFalse();
        assertThat(gate(waiting, "freeze").met()).isTrue();
        assertThat(gate(waiting, "freeze").words()).contains("hotfix (label com.example.hotfix)");
        assertThat(gate(waiting, "approvals").words()).startsWith("waiting for 1 more approval from anyone named");

        GateFacts approved = new GateFacts(DIGEST, "stage", true, null, "ada", true, SATURDAY,
                List.of(new GateFacts.Vote("bob", true, SATURDAY, null)), null, null);
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, approved, SATURDAY).open()).isTrue();
        // Outside the freeze a hotfix needs nothing extra.
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, hotfix, WEDNESDAY).open()).isTrue();
    }

    @Test
    void aHotfixInAFreezeUsesTheStagesOwnApprovalRuleWhenItHasOne() {
        GateDefinition gates = new GateDefinition(null, new ApprovalDefinition(2, List.of("@release-managers"), null),
                List.of(WEEKEND), "com.example.hotfix");
        GateFacts hotfix = new GateFacts(DIGEST, "stage", true, null, "ada", true, SATURDAY,
                List.of(new GateFacts.Vote("bob", true, SATURDAY, null)), null, null);
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, hotfix, SATURDAY).explanation())
                .isEqualTo("waiting for 1 more approval from @release-managers (approved by bob)");
    }

    @Test
    void soakCountsFromHealthyInThePreviousStage() {
        GateDefinition gates = new GateDefinition(Duration.ofMinutes(30), null, List.of(), null);
        Instant healthy = WEDNESDAY.minusSeconds(12 * 60);
        GateFacts facts = new GateFacts(DIGEST, "stage", true, healthy, null, false, WEDNESDAY, List.of(), null, null);
        GateEvaluation soaking = GateEvaluator.evaluate(stage(gates), PEOPLE, facts, WEDNESDAY);
        assertThat(soaking.explanation()).isEqualTo("soaking in stage: 12m of 30m, done at 2026-11-25 10:18 UTC");
        assertThat(soaking.nextChange()).isEqualTo(healthy.plus(Duration.ofMinutes(30)));
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, facts, healthy.plus(Duration.ofMinutes(30))).open()).isTrue();

        GateFacts notHealthy = new GateFacts(DIGEST, "stage", true, null, null, false, WEDNESDAY, List.of(), null, null);
        assertThat(GateEvaluator.evaluate(stage(gates), PEOPLE, notHealthy, WEDNESDAY).explanation())
                .isEqualTo("waiting for aaaaaaaaaaaa to be healthy in stage before its 30m soak starts");
    }

    @Test
    void aPinOnAnotherDigestHoldsTheStage() {
        GateFacts pinned = new GateFacts(DIGEST, "stage", true, null, null, false, WEDNESDAY, List.of(), null,
                new GateFacts.Pin(OTHER, "bob", "incident 42"));
        GateEvaluation evaluation = GateEvaluator.evaluate(stage(GateDefinition.NONE), PEOPLE, pinned, WEDNESDAY);
        assertThat(evaluation.open()).isFalse();
        assertThat(evaluation.explanation()).isEqualTo("prod is pinned at bbbbbbbbbbbb by bob (incident 42); unpin it to let promotions in");
    }

    @Test
    void aManualStageWaitsForSomeoneToPromote() {
        StageDefinition manual = new StageDefinition("prod", List.of(), null, null, PromotionMode.MANUAL, GateDefinition.NONE);
        assertThat(GateEvaluator.gated(manual)).isTrue();
        assertThat(GateEvaluator.evaluate(manual, PEOPLE, facts(List.of()), WEDNESDAY).explanation())
                .isEqualTo("waiting for someone to promote it by hand (promotion: manual)");
        GateFacts promoted = new GateFacts(DIGEST, "stage", true, null, "ada", false, WEDNESDAY, List.of(), "bob", null);
        assertThat(GateEvaluator.evaluate(manual, PEOPLE, promoted, WEDNESDAY).open()).isTrue();
    }

    @Test
    void everyUnmetGateIsExplainedAndTheEarliestChangeIsKnown() {
        GateDefinition gates = new GateDefinition(Duration.ofHours(1), new ApprovalDefinition(1, List.of("@release-managers"),
                Duration.ofDays(3)), List.of(WEEKEND), null);
        GateFacts facts = new GateFacts(DIGEST, "stage", true, SATURDAY.minusSeconds(600), "ada", false, SATURDAY,
                List.of(), null, null);
        GateEvaluation evaluation = GateEvaluator.evaluate(stage(gates), PEOPLE, facts, SATURDAY);
        assertThat(evaluation.gates()).extracting(g -> g.gate().word()).containsExactly("suites", "freeze", "soak", "approvals");
        assertThat(evaluation.gates()).extracting(GateStatus::state)
                .containsExactly(State.MET, State.WAITING, State.WAITING, State.WAITING);
        assertThat(evaluation.explanation()).isEqualTo("freeze ends Mon 08:00 Europe/Prague; "
                + "soaking in stage: 10m of 1h, done at 2026-11-28 10:50 UTC; "
                + "waiting for 1 more approval from @release-managers, lapses at 2026-12-01 10:00 UTC");
        assertThat(evaluation.nextChange()).isEqualTo(SATURDAY.plusSeconds(3000));
    }

    @Test
    void refusalsSayWhyAPersonMayNotDecide() {
        StageDefinition prod = stage(approvals(2, null));
        GateFacts facts = facts(List.of(approve("bob")));
        assertThat(GateEvaluator.refusal(prod, PEOPLE, facts, "ada")).startsWith("you wrote the commit of aaaaaaaaaaaa; four eyes");
        assertThat(GateEvaluator.refusal(prod, PEOPLE, facts, "eve")).isEqualTo("you are not among the approvers of prod (@release-managers)");
        assertThat(GateEvaluator.refusal(prod, PEOPLE, facts, "bob")).isEqualTo("you already approved aaaaaaaaaaaa for prod; one person counts once");
        assertThat(GateEvaluator.refusal(prod, PEOPLE, facts, "cyd")).isNull();
    }

    @Test
    void aGroupOfTheCallersOidcTokenAdmitsThemAsTheDefinitionsGroupWould() {
        StageDefinition prod = stage(approvals(1, null));
        // Dan is in nobody's people list; his identity provider puts him in release-managers.
        GateFacts.Vote dan = new GateFacts.Vote("api:dan", true, WEDNESDAY.minusSeconds(30), null,
                Set.of("release-managers"));
        GateEvaluation evaluation = GateEvaluator.evaluate(prod, PEOPLE, facts(List.of(dan)), WEDNESDAY);
        assertThat(evaluation.open()).isTrue();
        assertThat(gate(evaluation, "approvals").words()).isEqualTo("approved by api:dan");
        assertThat(GateEvaluator.refusal(prod, PEOPLE, facts(List.of()), "api:dan", Set.of("release-managers"))).isNull();

        // Another group of his does not count, nor does the same person without the token's groups.
        assertThat(GateEvaluator.evaluate(prod, PEOPLE, facts(List.of(new GateFacts.Vote("api:dan", true,
                WEDNESDAY.minusSeconds(30), null, Set.of("developers")))), WEDNESDAY).open()).isFalse();
        assertThat(GateEvaluator.refusal(prod, PEOPLE, facts(List.of()), "api:dan", Set.of()))
                .isEqualTo("you are not among the approvers of prod (@release-managers)");
    }

    @Test
    void fourEyesHoldAcrossIdentitiesTheAuthorsTokenGroupsDoNotLetThemApprove() {
        StageDefinition prod = stage(approvals(1, null));
        GateFacts.Vote ada = new GateFacts.Vote("ada", true, WEDNESDAY.minusSeconds(30), null, Set.of("release-managers"));
        assertThat(GateEvaluator.evaluate(prod, PEOPLE, facts(List.of(ada)), WEDNESDAY).open()).isFalse();
        assertThat(GateEvaluator.refusal(prod, PEOPLE, facts(List.of()), "ada", Set.of("release-managers")))
                .startsWith("you wrote the commit of aaaaaaaaaaaa; four eyes");
    }

    @Test
    void aStoppedLineHoldsEvenAStageWithoutGatesAndAnApprovalDoesNotOpenIt() {
        GateFacts.Stop stop = new GateFacts.Stop(null, "oscar", "incident 42", Instant.parse("2026-11-25T09:30:00Z"));
        GateFacts stopped = new GateFacts(DIGEST, "stage", true, WEDNESDAY.minusSeconds(3600), "ada", false,
                WEDNESDAY.minusSeconds(60), List.of(approve("bob")), null, null, null, stop);

        GateEvaluation ungated = GateEvaluator.evaluate(stage(GateDefinition.NONE), PEOPLE, stopped, WEDNESDAY);
        assertThat(ungated.open()).isFalse();
        assertThat(ungated.blocked()).as("resuming lets it go on: waiting, not blocked").isFalse();
        assertThat(ungated.explanation()).isEqualTo("the line of every application is stopped by oscar since"
                + " 2026-11-25 09:30 UTC (incident 42); resume it to let promotions in");

        GateEvaluation approved = GateEvaluator.evaluate(stage(approvals(1, null)), PEOPLE, stopped, WEDNESDAY);
        assertThat(gate(approved, "approvals").met()).isTrue();
        assertThat(approved.open()).isFalse();
        assertThat(gate(approved, "stopped").state()).isEqualTo(State.WAITING);
    }

    @Test
    void rulesAskedUnderThatAreNotMetKeepARequestWaitingWhateverTheCurrentRulesSay() {
        GateFacts facts = facts(List.of(approve("bob")));
        // Asked under two approvals from the release managers; now one from bob or eve would do.
        GateDefinition now = new GateDefinition(null, new ApprovalDefinition(1, List.of("bob", "eve"), null), List.of(),
                null);
        GateEvaluator.AskedUnder asked = new GateEvaluator.AskedUnder(1, stage(approvals(2, null)), PEOPLE, facts);

        assertThat(GateEvaluator.evaluate(stage(now), PEOPLE, facts, WEDNESDAY).open()).isTrue();
        GateEvaluation both = GateEvaluator.evaluate(stage(now), PEOPLE, facts, WEDNESDAY, asked);
        assertThat(both.open()).isFalse();
        assertThat(both.explanation()).isEqualTo("waiting for 1 more approval from @release-managers (approved by bob)"
                + " (as asked under revision 1)");

        // eve, admitted only by the new rule, may not decide on this request; cyd, admitted by both, may.
        assertThat(GateEvaluator.refusal(stage(now), PEOPLE, facts, "slack:U0EVE", asked))
                .isEqualTo("you are not among the approvers of prod (@release-managers) (the request was asked under"
                        + " revision 1 of the pipeline definition; changed rules apply to requests opened after the"
                        + " change)");
        GateDefinition withCyd = new GateDefinition(null, new ApprovalDefinition(1, List.of("bob", "cyd"), null),
                List.of(), null);
        assertThat(GateEvaluator.refusal(stage(withCyd), PEOPLE, facts, "slack:U0CYD", asked)).isNull();
        assertThat(GateEvaluator.evaluate(stage(withCyd), PEOPLE, facts(List.of(approve("bob"), approve("cyd"))),
                WEDNESDAY, new GateEvaluator.AskedUnder(1, stage(approvals(2, null)), PEOPLE,
                        facts(List.of(approve("bob"), approve("cyd"))))).open()).isTrue();
    }
}
