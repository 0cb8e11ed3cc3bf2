package dev.promoter.messaging;

import dev.promoter.kit.problem.ProblemException;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The paging every list of the library answers with: {@code ?limit=} (50 by default, at most 500) and
 * {@code ?before=<id>}, newest first; a page's {@code nextBefore} is the {@code before} of the next one.
 */
public final class Pages {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private Pages() {
    }

    /** The page size asked for, or a 400 naming {@code limit}. */
    public static int size(Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT, List.of("limit"));
        }
        return size;
    }

    /** {@code before}, when given, must be a positive id; {@code what} names it in the 400 ("a dead letter id"). */
    public static void checkBefore(Long before, String what) {
        if (before != null && before < 1) {
            throw ProblemException.badRequest("before must be " + what + " (a positive number)", List.of("before"));
        }
    }

    /** The {@code before} of the next page: the last id of a full page, null after the last page. */
    public static <T> Long nextBefore(List<T> found, int size, ToLongFunction<T> id) {
        return found.size() == size ? id.applyAsLong(found.get(found.size() - 1)) : null;
    }
}
