package dev.promoter.kit.problem;

import java.util.List;

/**
 * Thrown by a resource to answer with a problem+json; the request changed nothing. The message is
 * written for the caller, so it must never contain secrets.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<String> errors;

    public ProblemException(int status, String title, String detail, List<String> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static ProblemException badRequest(String detail, List<String> errors) {
        return new ProblemException(400, "Invalid request", detail, errors);
    }

    public static ProblemException unauthorized() {
        return new ProblemException(401, "Unauthorized",
                "send 'Authorization: Bearer <token>' with a token configured for this service");
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(422, "Cannot be processed", detail);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "Temporarily unavailable", detail);
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), errors.isEmpty() ? null : errors);
    }
}
