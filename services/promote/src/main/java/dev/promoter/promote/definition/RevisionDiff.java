package dev.promoter.promote.definition;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;

/** The change from one revision of a definition to the next, as a unified diff of their YAML (java-diff-utils). */
public final class RevisionDiff {

    /** Lines of context around each change, as {@code diff -u} shows. */
    static final int CONTEXT = 3;

    private RevisionDiff() {
    }

    /**
     * The unified diff from {@code before} (null for revision 1: everything is added) to {@code after}; empty when
     * they are equal.
     */
    public static String unified(String before, int beforeRevision, String after, int afterRevision) {
        List<String> original = before == null ? List.of() : before.lines().toList();
        List<String> revised = after.lines().toList();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(
                before == null ? "/dev/null" : "revision " + beforeRevision, "revision " + afterRevision,
                original, DiffUtils.diff(original, revised), CONTEXT);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
