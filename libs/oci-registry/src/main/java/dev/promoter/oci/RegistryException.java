package dev.promoter.oci;

import java.util.Optional;

/**
 * A registry request that did not do what was asked: refused, not found, unreachable, or answered with
 * content that failed verification; carries the HTTP status and the registry's OCI error code.
 */
public final class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final String errorMessage;

    RegistryException(String message, int status, String errorCode, String errorMessage, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
    }

    RegistryException(String message, int status) {
        this(message, status, null, null, null);
    }

    RegistryException(String message, Throwable cause) {
        this(message, 0, null, null, cause);
    }

    /** The HTTP status the registry (or its token endpoint) answered, or 0 when no answer came or it lied. */
    public int status() {
        return status;
    }

    /** The first OCI error code of the response body, e.g. {@code MANIFEST_UNKNOWN}, {@code DENIED}. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** The message that came with {@link #errorCode()}. */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /** True for 401 and 403: the credentials are missing, wrong, or lack the scope. */
    public boolean isUnauthorized() {
        return status == 401 || status == 403;
    }
}
