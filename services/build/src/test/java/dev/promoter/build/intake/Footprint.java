package dev.promoter.build.intake;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the build service has written: row counts of every table a delivery could touch, outbox included. */
final class Footprint {

    private static final List<String> TABLES = List.of("artifact", "delivery", "build_request", "build_failure",
            "outbox_event", "application_source");

    private Footprint() {
    }

    /** Row counts by table; equal before and after a request means it wrote nothing and published nothing. */
    static Map<String, Long> now() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            try {
                counts.put(table, VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() ->
                        Panache.getSession().chain(s -> s.createNativeQuery("select count(*) from " + table, Long.class)
                                .getSingleResult()))));
            } catch (Throwable e) {
                throw new IllegalStateException("cannot count " + table, e);
            }
        }
        return counts;
    }
}
