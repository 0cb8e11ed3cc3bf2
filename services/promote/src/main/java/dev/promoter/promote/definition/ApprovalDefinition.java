package dev.promoter.promote.definition;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How many distinct people must approve a digest before it enters a stage, and from whom.
 *
 * @param count  distinct approvals needed, at least 1
 * @param from   who may approve: person names of the definition's {@code people}, {@code @group} names, or raw
 *               identities {@code slack:U…} / {@code api:<caller>}; empty means any known person
 * @param expiry how long a request stays open before it lapses; null for never
 */
public record ApprovalDefinition(int count, List<String> from, Duration expiry) {

    public ApprovalDefinition {
        if (count < 1) {
            throw new IllegalArgumentException("an approval gate needs at least one approval");
        }
        from = List.copyOf(Objects.requireNonNull(from, "from"));
    }
}
