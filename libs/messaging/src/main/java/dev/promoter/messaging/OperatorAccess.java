package dev.promoter.messaging;

/**
 * How a service checks that the caller of an operator's write (replaying a dead letter) may make it; each service
 * provides one bean. Role: operator.
 */
public interface OperatorAccess {

    /** The caller's name, or a 401/403 problem when the header does not carry an operator's credentials. */
    String requireOperator(String authorizationHeader);
}
