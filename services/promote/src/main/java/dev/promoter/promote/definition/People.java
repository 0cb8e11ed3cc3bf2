package dev.promoter.promote.definition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The people a pipeline definition names, each with every identity they act under (Slack user ids, API callers,
 * git author names or e-mails), and groups of them. One person counts once however many identities they use, and a
 * commit's author is recognised under any of theirs.
 *
 * <p>Identities are written {@code slack:U0123ABCD}, {@code api:<caller>} and {@code git:<author>}; an identity
 * nobody claims stands for a person of its own.
 */
public record People(Map<String, Person> people, Map<String, List<String>> groups) {

    /** Nobody named. */
    public static final People NONE = new People(Map.of(), Map.of());

    /** One person and their identities. */
    public record Person(String name, List<String> slack, List<String> api, List<String> git) {
        public Person {
            Objects.requireNonNull(name, "name");
            slack = List.copyOf(slack);
            api = List.copyOf(api);
            git = List.copyOf(git);
        }

        List<String> identities() {
            List<String> all = new ArrayList<>();
            slack.forEach(id -> all.add("slack:" + id));
            api.forEach(id -> all.add("api:" + id));
            git.forEach(id -> all.add("git:" + id));
            return all;
        }
    }

    public People {
        people = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(people));
        Map<String, List<String>> copy = new LinkedHashMap<>();
        groups.forEach((name, members) -> copy.put(name, List.copyOf(members)));
        groups = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Who acts under {@code identity} ({@code slack:…}, {@code api:…}, {@code git:…}): the person's name, or the
     * identity itself when nobody claims it. Git identities compare without regard to case.
     */
    public String personOf(String identity) {
        for (Person person : people.values()) {
            for (String known : person.identities()) {
                if (known.equals(identity) || identity.startsWith("git:") && known.equalsIgnoreCase(identity)) {
                    return person.name();
                }
            }
        }
        return identity;
    }

    /** Whether the person ({@link #personOf}) is one of {@code from}; an empty list admits every named person. */
    public boolean admits(List<String> from, String person) {
        return admits(from, person, java.util.Set.of());
    }

    /**
     * As {@link #admits(List, String)}, for a caller whose identity provider puts them in {@code callerGroups}: a
     * {@code @group} entry admits the definition's members of that group and anyone whose token carries it.
     */
    public boolean admits(List<String> from, String person, java.util.Set<String> callerGroups) {
        if (from.isEmpty()) {
            return people.containsKey(person);
        }
        for (String entry : from) {
            if (entry.startsWith("@")) {
                if (groups.getOrDefault(entry.substring(1), List.of()).contains(person)
                        || callerGroups.contains(entry.substring(1))) {
                    return true;
                }
            } else if (entry.equals(person) || personOf(entry).equals(person)) {
                return true;
            }
        }
        return false;
    }

    /** {@code from} as people read it: "@release-managers or ada"; "anyone named in the pipeline definition". */
    public static String describe(List<String> from) {
        return from.isEmpty() ? "anyone named in the pipeline definition's people" : String.join(" or ", from);
    }
}
