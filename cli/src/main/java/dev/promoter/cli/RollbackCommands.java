package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Rolling back by hand, quarantines (rollback service) and dead letters (every service). */
final class RollbackCommands {

    static final String OPERATOR = "operator";

    private RollbackCommands() {
    }

    @Command(name = "rollback", description = "Roll a stage back to its rollback target, or to an earlier digest of"
            + " its history.")
    static final class Rollback extends CommandBase {
        @Mixin
        StageRef at;
        @Option(names = "--to", paramLabel = "DIGEST", description = "default: the stage's rollback target")
        String digest;
        @Option(names = {"-m", "--reason"}, required = true, paramLabel = "REASON",
                description = "why; kept in the history and sent with service.rolledback")
        String reason;

        @Override
        public Integer call() {
            ObjectNode body = Api.JSON.createObjectNode().put("reason", reason).put("digest", digest);
            JsonNode answer = api().write(Service.ROLLBACK, "POST", at.path("/rollback"), body, OPERATOR);
            return emit(answer, () -> out().printf("%s %s rolled back: runs %s again, left %s%n", at.application,
                    at.stage,
                    StatusView.shortDigest(answer.path("digest").asText("")),
                    StatusView.shortDigest(answer.path("rolledBackDigest").asText(""))));
        }
    }

    @Command(name = "quarantine", description = "Digests kept out of a stage after it failed there.",
            subcommands = {Quarantine.ListQuarantined.class, Quarantine.Lift.class})
    static final class Quarantine {

        @Command(name = "list", description = "The quarantined digests of an application (all when none is named).")
        static final class ListQuarantined extends CommandBase {
            @Parameters(index = "0", arity = "0..1", paramLabel = "APP")
            String application;

            @Override
            public Integer call() {
                ArrayNode rows = Api.JSON.createArrayNode();
                for (String name : application != null ? List.of(application) : applications()) {
                    JsonNode view = application(name);
                    Map<String, String> names = names(name);
                    for (JsonNode stage : view.path("stages")) {
                        for (JsonNode digest : stage.path("quarantined")) {
                            rows.addObject().put("application", name).put("stage", stage.path("name").asText())
                                    .put("digest", digest.asText()).put("name", names.get(digest.asText()));
                        }
                    }
                }
                return emit(rows, () -> {
                    if (rows.isEmpty()) {
                        out().println("nothing is quarantined");
                        return;
                    }
                    Output.Table table = new Output.Table("APPLICATION", "STAGE", "DIGEST", "VERSION");
                    rows.forEach(r -> table.row(r.path("application").asText(), r.path("stage").asText(),
                            r.path("digest").asText(), r.path("name").asText(null)));
                    table.print(out());
                });
            }
        }

        @Command(name = "lift", description = "Lift the quarantine of a digest in a stage, so it can be the stage's"
                + " rollback target again.")
        static final class Lift extends CommandBase {
            @Mixin
            StageRef at;
            @Parameters(index = "2", paramLabel = "DIGEST")
            String digest;
            @Option(names = {"-m", "--reason"}, required = true, paramLabel = "REASON", description = "kept in the audit")
            String reason;

            @Override
            public Integer call() {
                api().write(Service.ROLLBACK, "DELETE", at.path("/quarantine/" + Api.segment(digest) + "?reason="
                        + Api.segment(reason)), null, OPERATOR);
                ObjectNode done = Api.JSON.createObjectNode().put("application", at.application)
                        .put("stage", at.stage).put("digest", digest).put("lifted", true);
                return emit(done, () -> out().printf("%s %s: quarantine of %s lifted%n", at.application, at.stage,
                        StatusView.shortDigest(digest)));
            }
        }
    }

    @Command(name = "dead-letters", description = "Records a service could never apply: kept, visible, replayable.",
            subcommands = {DeadLetters.ListDeadLetters.class, DeadLetters.Replay.class})
    static final class DeadLetters {

        static final String PATH = "/api/v1/dead-letters";

        @Command(name = "list", description = "The dead letters of every service (or of one).")
        static final class ListDeadLetters extends CommandBase {
            @Option(names = "--service", paramLabel = "SERVICE", description = "build, test, promote or rollback")
            Service service;

            @Override
            public Integer call() {
                ObjectNode document = Api.JSON.createObjectNode();
                List<String> notOffered = new ArrayList<>();
                for (Service s : service != null ? List.of(service) : List.of(Service.values())) {
                    JsonNode letters = api().getOrNull(s, PATH);
                    if (letters == null) {
                        notOffered.add(s.word());
                    } else {
                        document.set(s.word(), letters.isArray() ? letters : letters.path("deadLetters"));
                    }
                }
                if (document.isEmpty()) {
                    throw CliException.refused((notOffered.size() == 1 ? "the " + notOffered.get(0)
                            + " service does not offer" : "none of the services offers") + " GET " + PATH
                            + " (404): they are older than this CLI");
                }
                return emit(document, () -> {
                    Output.Table table = new Output.Table("SERVICE", "ID", "WHAT");
                    for (Map.Entry<String, JsonNode> entry : document.properties()) {
                        entry.getValue().forEach(letter -> table.row(entry.getKey(), letter.path("id").asText(),
                                describe(letter)));
                    }
                    if (table.isEmpty()) {
                        out().println("no dead letters");
                    } else {
                        table.print(out());
                    }
                    notOffered.forEach(s -> out().println("(the " + s + " service does not offer dead letters)"));
                });
            }

            /** Every field but the id and the record itself, {@code key=value}, on one line. */
            private static String describe(JsonNode letter) {
                List<String> parts = new ArrayList<>();
                letter.properties().forEach(field -> {
                    if (!field.getKey().equals("id") && field.getValue().isValueNode()) {
                        parts.add(field.getKey() + "=" + Api.oneLine(field.getValue().asText()));
                    }
                });
                String line = String.join(" ", parts);
                return line.length() > 160 ? line.substring(0, 160) + "…" : line;
            }
        }

        @Command(name = "replay", description = "Hand a dead letter to its consumer again.")
        static final class Replay extends CommandBase {
            @Parameters(index = "0", paramLabel = "ID")
            String id;
            @Option(names = "--service", required = true, paramLabel = "SERVICE",
                    description = "build, test, promote or rollback: the service that holds it")
            Service service;

            @Override
            public Integer call() {
                JsonNode answer = api().write(service, "POST", PATH + "/" + Api.segment(id) + "/replay", null, OPERATOR);
                return emit(answer, () -> out().printf("dead letter %s of the %s service replayed%s%n", id,
                        service.word(), answer.hasNonNull("status") ? ": " + answer.path("status").asText() : ""));
            }
        }
    }
}
