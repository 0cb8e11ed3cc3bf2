package dev.promoter.kit.page;

import dev.promoter.kit.problem.ProblemException;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The paging every list of the APIs answers with: {@code ?limit=} (50 by default, at most 500) and
 * {@code ?before=<id>}, newest first, by keyset (the ids of the rows, never an offset); a page's {@code nextBefore}
 * is the {@code before} of the next one, null on the last page. A query asks for {@link #fetch(int)} rows (one more
 * than the page) so that the last page is known to be the last without an empty page after it.
 */
public final class Pages {

    /** The page size when {@code limit} is absent. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page size; a larger {@code limit} is a 400. */
    public static final int MAX_LIMIT = 500;

    private Pages() {
    }

    /** One page: at most the page size of items, newest first, and the {@code before} of the next page or null. */
    public record Page<T>(List<T> items, Long nextBefore) {

        /** The last page's cursor is null. */
        public boolean last() {
            return nextBefore == null;
        }
    }

    /** The page size asked for ({@code ?limit=}, as sent), or a 400 naming {@code limit}. */
    public static int size(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int size;
        try {
            size = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be a number between 1 and " + MAX_LIMIT + " (default "
                    + DEFAULT_LIMIT + "); it was " + limit, List.of("limit"));
        }
        return size;
    }

    /** The page size asked for, or a 400 naming {@code limit}. */
    public static int size(Integer limit) {
        return size(limit == null ? null : limit.toString());
    }

    /**
     * The cursor ({@code ?before=}, as sent): empty means the first page, else a positive id, or a 400 naming
     * {@code before}; {@code what} names the id in the 400 ("a dead letter id").
     */
    public static Long before(String before, String what) {
        if (before == null || before.isBlank()) {
            return null;
        }
        long id;
        try {
            id = Long.parseLong(before.trim());
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id < 1) {
            throw ProblemException.badRequest("before must be " + what + " (a positive number, the nextBefore of the"
                    + " previous page); it was " + before, List.of("before"));
        }
        return id;
    }

    /** {@code before}, when given, must be a positive id; {@code what} names it in the 400 ("a dead letter id"). */
    public static void checkBefore(Long before, String what) {
        before(before == null ? null : before.toString(), what);
    }

    /** The upper bound of the ids of a page: {@code before}, or no bound on the first page. */
    public static long below(Long before) {
        return before == null ? Long.MAX_VALUE : before;
    }

    /** How many rows a page's query asks for: one more than the page, to tell whether another page follows. */
    public static int fetch(int size) {
        return size + 1;
    }

    /**
     * For a list answered as a bare JSON array (kept so for the clients that parse one): the cursor as a
     * {@code Link: <...?limit=N&before=ID>; rel="next"} header (RFC 8288) on {@code request}'s URI, or null on the
     * last page.
     */
    public static String nextLink(java.net.URI request, int size, Long nextBefore) {
        if (nextBefore == null) {
            return null;
        }
        return "<" + canonicalPath(request) + "?limit=" + size + "&before=" + nextBefore + ">; rel=\"next\"";
    }

    /**
     * The request's path with only what a path may not hold percent-encoded: a client that sent a digest's colon as
     * {@code %3A} gets the same link as one that sent it plain.
     */
    private static String canonicalPath(java.net.URI request) {
        try {
            return new java.net.URI(null, null, request.getPath(), null).getRawPath();
        } catch (java.net.URISyntaxException e) {
            return request.getRawPath();
        }
    }

    /** The page of rows fetched with {@link #fetch(int)}, newest first; the cursor is the id of its last item. */
    public static <T> Page<T> of(List<T> fetched, int size, ToLongFunction<T> id) {
        if (fetched.size() <= size) {
            return new Page<>(List.copyOf(fetched), null);
        }
        List<T> items = List.copyOf(fetched.subList(0, size));
        return new Page<>(items, id.applyAsLong(items.get(size - 1)));
    }
}
