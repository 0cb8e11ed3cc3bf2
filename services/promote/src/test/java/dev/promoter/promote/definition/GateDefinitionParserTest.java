package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.PARSER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateDefinitionParserTest {

    private static final String GATED = """
            application: shop-cart
            repository: 127.0.0.1:15000/shop/cart
            people:
              ada: { slack: [U0ADA], api: [ada-cli], git: [ada, ada@example.com] }
              bob: { slack: [U0BOB] }
            groups:
              release-managers: [ada, bob]
            stages:
              - name: dev
              - name: prod
                promotion: manual
                gates:
                  soak: 30m
                  approvals: { count: 2, from: ["@release-managers", "api:robot"], expiry: 24h }
                  freeze:
                    - { from: "Fri 16:00", to: "Mon 08:00", zone: Europe/Prague }
                  hotfixLabel: com.example.hotfix
            """;

    @Test
    void gatesPeopleAndGroupsAreRead() {
        PipelineDefinition definition = PARSER.parse(GATED);
        StageDefinition prod = definition.stage("prod").orElseThrow();
        assertThat(prod.promotion()).isEqualTo(PromotionMode.MANUAL);
        assertThat(prod.gates()).isEqualTo(new GateDefinition(Duration.ofMinutes(30),
                new ApprovalDefinition(2, List.of("@release-managers", "api:robot"), Duration.ofHours(24)),
                List.of(FreezeWindow.of("Fri 16:00", "Mon 08:00", ZoneId.of("Europe/Prague"))), "com.example.hotfix"));
        assertThat(definition.stage("dev").orElseThrow().gates()).isEqualTo(GateDefinition.NONE);
        assertThat(definition.stage("dev").orElseThrow().promotion()).isEqualTo(PromotionMode.AUTO);
        assertThat(definition.people().personOf("git:ada@example.com")).isEqualTo("ada");
        assertThat(definition.people().groups()).containsEntry("release-managers", List.of("ada", "bob"));
    }

    @Test
    void theWrittenFormReadsBackEqual() {
        PipelineDefinition definition = PARSER.parse(GATED);
        String yaml = PARSER.toYaml(definition);
        assertThat(yaml).contains("expiry: 1d").contains("soak: 30m").contains("promotion: manual");
        assertThat(PARSER.parse(yaml)).isEqualTo(definition);
    }

    @Test
    void unknownApproversGroupMembersAndZonesAreRefusedEachByItsPath() {
        String bad = """
                application: shop-cart
                repository: 127.0.0.1:15000/shop/cart
                people:
                  ada: { slack: [U0ADA] }
                  bob: { slack: [U0ADA] }
                groups:
                  release-managers: [ada, zed]
                stages:
                  - name: prod
                    gates:
                      approvals: { count: 1, from: ["@ops", "carl"] }
                      freeze: [{ from: "Fri 16:00", to: "Mon 08:00", zone: Mars/Olympus }]
                """;
        assertThatThrownBy(() -> PARSER.parse(bad)).isInstanceOfSatisfying(InvalidPipelineDefinitionException.class,
                e -> assertThat(e.messages()).containsExactlyInAnyOrder(
                        "stages[0].gates.freeze[0].zone: must be an IANA time zone such as Europe/Prague or UTC, got 'Mars/Olympus'",
                        "people.bob: 'slack:U0ADA' is already an identity of ada; one identity belongs to one person",
                        "groups.release-managers: 'zed' is not in people; add it there with its slack, api or git identities",
                        "stages[0].gates.approvals.from: '@ops' names no group; define it under groups",
                        "stages[0].gates.approvals.from: 'carl' is not in people; add it there, or write a group as @name or an identity as slack:U… or api:<caller>"));
    }

    @Test
    void malformedGateValuesAreRefusedByTheSchema() {
        String bad = """
                application: shop-cart
                repository: 127.0.0.1:15000/shop/cart
                stages:
                  - name: prod
                    promotion: sometimes
                    gates:
                      soak: 30 minutes
                      approvals: { count: 0 }
                      freeze: [{ from: "Friday 16:00", to: "Mon 08:00", zone: UTC }]
                """;
        assertThatThrownBy(() -> PARSER.parse(bad)).isInstanceOfSatisfying(InvalidPipelineDefinitionException.class,
                e -> assertThat(e.messages()).hasSizeGreaterThanOrEqualTo(4));
    }

    @Test
    void approvalsFromNobodyAreRefused() {
        String bad = """
                application: shop-cart
                repository: 127.0.0.1:15000/shop/cart
                stages:
                  - name: prod
                    gates:
                      approvals: { count: 1 }
                """;
        assertThatThrownBy(() -> PARSER.parse(bad)).isInstanceOfSatisfying(InvalidPipelineDefinitionException.class,
                e -> assertThat(e.messages()).singleElement().asString().contains("nobody could approve"));
    }
}
