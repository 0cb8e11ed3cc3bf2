package dev.promoter.cli;

import picocli.CommandLine.Option;

/**
 * {@code --limit N --before ID}: which page of a list to read. The services answer newest first, {@code limit} entries
 * (50 when absent, at most 500), older than the entry {@code before} names; a page that has older entries after it
 * says so with the {@code --before} of the next one.
 */
final class PageOptions {

    @Option(names = "--limit", paramLabel = "N", description = "how many entries to show (default 50, at most 500)")
    Integer limit;

    @Option(names = "--before", paramLabel = "ID", description = "show the entries older than ID: the --before a"
            + " previous page printed")
    Long before;

    /** The query of the page ({@code ?limit=..&before=..}), or "" for the services' default first page. */
    String query() {
        return query(limit, before);
    }

    static String query(Integer limit, Long before) {
        StringBuilder query = new StringBuilder();
        if (limit != null) {
            query.append("limit=").append(limit);
        }
        if (before != null) {
            query.append(query.isEmpty() ? "" : "&").append("before=").append(before);
        }
        return query.isEmpty() ? "" : "?" + query;
    }
}
