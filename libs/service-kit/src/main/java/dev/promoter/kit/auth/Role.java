package dev.promoter.kit.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a caller may do, the same six in every service (docs/security.md has the table of endpoint → role). Every role
 * may read ({@link #VIEWER} is implied by all of them); {@link #ADMIN} implies every role; the others imply nothing
 * more, so a CI job's {@code reporter} token cannot promote, approve or change a pipeline definition.
 */
public enum Role {
    /** Read everything: applications, histories, definitions, results. */
    VIEWER,
    /** Report builds, test results and CDEvents: what CI jobs hold. */
    REPORTER,
    /** Promote by hand, pin and unpin a stage, re-run suites. */
    RELEASER,
    /** Approve or reject, still subject to each stage's approval rules. */
    APPROVER,
    /** Roll back, lift a quarantine, replay dead letters, stop the line. */
    OPERATOR,
    /** Pipeline definitions, and everything else. */
    ADMIN;

    /** The name used in config, problems and the audit log: {@code viewer}, {@code reporter}, … */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether holding this role lets a caller do what {@code needed} is asked for. */
    public boolean grants(Role needed) {
        return this == needed || this == ADMIN || needed == VIEWER;
    }

    /** One role by its {@link #id()}, any case; an unknown name is refused, never ignored, so a typo fails at start. */
    public static Role of(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role '" + name.trim() + "'; the roles are "
                        + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "))));
    }

    /** A comma-separated list ({@code "releaser, approver"}); blank entries are skipped. */
    public static Set<Role> parseList(String list) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (list != null) {
            Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(Role::of).forEach(roles::add);
        }
        return roles;
    }
}
