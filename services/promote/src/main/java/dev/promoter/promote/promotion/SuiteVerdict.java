package dev.promoter.promote.promotion;

import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.definition.SuiteDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a digest passed every suite its stage declares, decided from the suites' latest attempts:
 * PASSED lets it move on, FAILED stops it there, PENDING waits for the suites not yet finished.
 */
record SuiteVerdict(Kind kind, List<String> pending, List<String> failed) {

    enum Kind { PASSED, PENDING, FAILED }

    /** {@code results}: (suite, attempt, outcome) of this digest in this stage, in any order. */
    static SuiteVerdict of(StageDefinition stage, List<Result> results) {
        Map<String, Result> latest = new HashMap<>();
        for (Result result : results) {
            latest.merge(result.suite(), result, (a, b) -> a.attempt() >= b.attempt() ? a : b);
        }
        List<String> pending = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (SuiteDefinition suite : stage.suites()) {
            Result result = latest.get(suite.name());
            if (result == null) {
                pending.add(suite.name());
            } else if (!"success".equals(result.outcome())) {
                failed.add(suite.name() + " (" + result.outcome() + ")");
            }
        }
        Kind kind = !failed.isEmpty() ? Kind.FAILED : pending.isEmpty() ? Kind.PASSED : Kind.PENDING;
        return new SuiteVerdict(kind, List.copyOf(pending), List.copyOf(failed));
    }

    /** One finished suite run. */
    record Result(String suite, int attempt, String outcome) {
    }
}
