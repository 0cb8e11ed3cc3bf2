package dev.promoter.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {

    private static final Map<String, String> TOKENS = Map.of("jenkins", "jenkins-token", "ada", "ada-token",
            "root", "root-token", "nobody", "nobody-token");
    private static final Map<String, String> ROLES = Map.of("jenkins", "reporter", "ada", "releaser, approver",
            "root", "ADMIN");

    private final Access closed = new Access(new StaticTokens(TOKENS, ROLES), java.util.Optional.empty(), false);
    private final Access openReads = new Access(new StaticTokens(TOKENS, ROLES), java.util.Optional.empty(), true);

    @Test
    void aCallerWithTheRoleIsNamedWithItsRolesAndNeverItsToken() {
        Caller ada = closed.require("Bearer ada-token", Role.APPROVER);
        assertThat(ada.name()).isEqualTo("ada");
        assertThat(ada.roles()).containsExactlyInAnyOrder(Role.RELEASER, Role.APPROVER);
        assertThat(ada.authenticatedBy()).isEqualTo(Caller.AuthenticatedBy.STATIC_TOKEN);
        assertThat(ada.toString()).doesNotContain("ada-token");
    }

    @Test
    void everyRoleMayReadAndAdminMayDoEverything() {
        assertThat(closed.require("Bearer jenkins-token", Role.VIEWER).name()).isEqualTo("jenkins");
        for (Role role : Role.values()) {
            assertThat(closed.require("Bearer root-token", role).name()).isEqualTo("root");
        }
    }

    @Test
    void aTokenWithoutTheRoleIs403NamingTheMissingRoleAndTheCallersRoles() {
        assertThatThrownBy(() -> closed.require("Bearer jenkins-token", Role.APPROVER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> {
                    assertThat(e.toProblem().status()).isEqualTo(403);
                    assertThat(e.missing()).isEqualTo(Role.APPROVER);
                    assertThat(e.caller()).map(Caller::name).contains("jenkins");
                    assertThat(e.getMessage()).contains("'approver'", "'jenkins' has reporter")
                            .doesNotContain("jenkins-token");
                });
        assertThatThrownBy(() -> closed.require("Bearer ada-token", Role.OPERATOR))
                .isInstanceOfSatisfying(AccessRefused.class, e -> assertThat(e.toProblem().status()).isEqualTo(403));
    }

    @Test
    void aCallerWithATokenAndNoRolesMayDoNothingNotEvenRead() {
        assertThatThrownBy(() -> closed.require("Bearer nobody-token", Role.VIEWER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> {
                    assertThat(e.toProblem().status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("has none");
                });
    }

    @Test
    void aMissingMalformedOrUnknownTokenIs401WithoutEchoingIt() {
        assertThatThrownBy(() -> closed.require(null, Role.VIEWER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> {
                    assertThat(e.toProblem().status()).isEqualTo(401);
                    assertThat(e.reason()).isEqualTo("no bearer token");
                    assertThat(e.caller()).isEmpty();
                });
        assertThatThrownBy(() -> closed.require("Basic YWRhOmFkYS10b2tlbg==", Role.VIEWER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> assertThat(e.reason()).isEqualTo("not a bearer token"));
        assertThatThrownBy(() -> closed.require("Bearer guessed-token", Role.REPORTER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> {
                    assertThat(e.toProblem().status()).isEqualTo(401);
                    assertThat(e.reason()).isEqualTo("unknown token");
                    assertThat(e.getMessage()).doesNotContain("guessed-token");
                });
    }

    @Test
    void openReadsLetAnonymousReadsThroughButNotWritesNorWrongTokens() {
        assertThat(openReads.require(null, Role.VIEWER)).isEqualTo(Caller.anonymous());
        assertThat(openReads.require("Bearer jenkins-token", Role.VIEWER).name()).isEqualTo("jenkins");
        assertThatThrownBy(() -> openReads.require(null, Role.REPORTER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> assertThat(e.toProblem().status()).isEqualTo(401));
        assertThatThrownBy(() -> openReads.require("Bearer guessed-token", Role.VIEWER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> assertThat(e.toProblem().status()).isEqualTo(401));
        assertThatThrownBy(() -> closed.require(null, Role.VIEWER)).isInstanceOf(AccessRefused.class);
    }

    @Test
    void anUnknownRoleNameStopsTheStartNamingTheCallerAndTheKnownRoles() {
        assertThatThrownBy(() -> new StaticTokens(TOKENS, Map.of("jenkins", "reporter,aprover")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api-roles.jenkins")
                .hasMessageContaining("unknown role 'aprover'")
                .hasMessageContaining("viewer, reporter, releaser, approver, operator, admin");
    }

    @Test
    void rolesGrantThemselvesViewerAndAdminGrantsAll() {
        assertThat(Role.REPORTER.grants(Role.VIEWER)).isTrue();
        assertThat(Role.REPORTER.grants(Role.RELEASER)).isFalse();
        assertThat(Role.VIEWER.grants(Role.REPORTER)).isFalse();
        assertThat(Role.OPERATOR.grants(Role.ADMIN)).isFalse();
        assertThat(Role.ADMIN.grants(Role.OPERATOR)).isTrue();
        assertThat(Role.parseList(" releaser,,Approver ")).isEqualTo(Set.of(Role.RELEASER, Role.APPROVER));
        assertThat(new StaticTokens(TOKENS, ROLES).withoutRoles(TOKENS)).containsExactly("nobody");
    }
}
