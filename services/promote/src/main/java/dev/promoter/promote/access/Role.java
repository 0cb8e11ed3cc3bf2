package dev.promoter.promote.access;

import java.util.Locale;

/**
 * What a caller may do, the same words as issue 15's roles: viewer (read), reporter (report builds and results),
 * releaser (promote by hand, pin), approver (approve, reject), operator (rollback, stop the line), admin (everything).
 */
public enum Role {
    VIEWER, REPORTER, RELEASER, APPROVER, OPERATOR, ADMIN;

    /** The role as configuration and pages write it: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
