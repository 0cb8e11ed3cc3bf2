package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that only read: status, history, why, builds, tests, decisions. */
final class ReadCommands {

    private ReadCommands() {
    }

    @Command(name = "status", description = "Each stage of an application (all when none is named), as rpm-ostree"
            + " status shows deployments: ● what it runs, the rollback target, quarantined digests, health, when,"
            + " by whom, why; what waits to enter it; stops of the line.")
    static final class Status extends CommandBase {
        @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "the application; all when absent")
        String application;

        @Override
        public Integer call() {
            List<String> names = application != null ? List.of(application) : applications();
            ArrayNode views = Api.JSON.createArrayNode();
            Map<String, Map<String, String>> digestNames = new HashMap<>();
            for (String name : names) {
                ObjectNode view = (ObjectNode) application(name);
                for (JsonNode stage : view.path("stages")) {
                    JsonNode history = rollbackHistory(name, stage.path("name").asText());
                    ((ObjectNode) stage).set("health", history == null ? null : history);
                }
                view.set("stops", stops(name));
                views.add(view);
                digestNames.put(name, names(name));
            }
            JsonNode document = application != null ? views.get(0) : views;
            return emit(document, () -> {
                if (views.isEmpty()) {
                    out().println("no application has a pipeline definition yet: promoter define APP -f FILE");
                }
                for (JsonNode view : views) {
                    print(view, null, digestNames.get(view.path("application").asText()), this);
                }
            });
        }

        /** The status of one application as people read it; {@code stage}: only that stage, or null. */
        static void print(JsonNode view, String stage, Map<String, String> names, CommandBase command) {
            StatusView text = new StatusView(names, command.root().clock().instant());
            command.out().println(view.path("application").asText() + "  " + view.path("repository").asText());
            for (JsonNode stop : view.path("stops")) {
                command.out().println("  ⛔ " + CommandBase.describeStop(stop, text));
            }
            text.print(view, stage, name -> {
                for (JsonNode s : view.path("stages")) {
                    if (s.path("name").asText().equals(name) && s.hasNonNull("health")) {
                        return s.path("health");
                    }
                }
                return null;
            }, command.out());
            command.out().println();
        }
    }

    @Command(name = "history", description = "The moves of a stage's tag, newest first, a page at a time (--limit,"
            + " --before), with their health.")
    static final class History extends CommandBase {
        @Mixin
        StageRef at;
        @Mixin
        PageOptions page;
        @Option(names = "--health-before", paramLabel = "ID", description = "the rollback service's --before of the"
                + " same page, printed beside --before")
        Long healthBefore;

        @Override
        public Integer call() {
            ObjectNode view = (ObjectNode) application(at.application);
            ObjectNode stageView = (ObjectNode) stage(view, at.stage);
            Api.Page moves = api().getPage(Service.PROMOTE, at.path("/history") + page.query());
            stageView.set("history", moves.body().path("deployments"));
            stageView.put("historyNextBefore", moves.nextBefore());
            // The two services number their moves apart: an older page of promote's history is matched with the same
            // page of the rollback service's only when its cursor came along; else no move gets a health line.
            boolean aligned = page.before == null || healthBefore != null;
            Api.Page health = api().getPageOrNull(Service.ROLLBACK, at.path("/history")
                    + PageOptions.query(page.limit, page.before == null ? null : healthBefore));
            if (health != null && !aligned) {
                ((ObjectNode) health.body()).putArray("deployments");
            }
            stageView.set("health", health == null ? null : health.body());
            Map<String, String> names = names(at.application);
            view.set("stops", stops(at.application));
            return emit(stageView, () -> {
                Status.print(view, at.stage, names, this);
                if (moves.nextBefore() != null) {
                    out().println("older moves: promoter history " + at.application + " " + at.stage
                            + (page.limit == null ? "" : " --limit " + page.limit) + " --before " + moves.nextBefore()
                            + (health != null && aligned && health.nextBefore() != null
                            ? " --health-before " + health.nextBefore() : ""));
                }
            });
        }
    }

    @Command(name = "why", description = "Why a digest waits to enter a stage (each stage when none is named): each"
            + " gate met, waiting or blocked, in words; pins and stops of the line.")
    static final class Why extends CommandBase {
        @Parameters(index = "0", paramLabel = "APP")
        String application;
        @Parameters(index = "1", arity = "0..1", paramLabel = "STAGE")
        String stage;

        @Override
        public Integer call() {
            JsonNode view = application(application);
            if (stage != null) {
                stage(view, stage);
            }
            ArrayNode stops = stops(application);
            Map<String, String> names = names(application);
            StatusView words = new StatusView(names, root().clock().instant());
            ObjectNode document = Api.JSON.createObjectNode().put("application", application);
            document.set("stops", stops);
            ArrayNode stages = document.putArray("stages");
            for (JsonNode s : view.path("stages")) {
                if (stage == null || stage.equals(s.path("name").asText())) {
                    stages.addObject().put("name", s.path("name").asText()).put("current", s.path("current").asText(null))
                            .<ObjectNode>set("pin", s.path("pin").isMissingNode() ? null : s.path("pin"))
                            .set("pending", s.path("pending"));
                }
            }
            document.set("artifacts", view.path("artifacts"));
            return emit(document, () -> {
                for (JsonNode stop : stops) {
                    out().println("⛔ " + describeStop(stop, words));
                }
                for (JsonNode s : stages) {
                    String name = s.path("name").asText();
                    JsonNode pin = s.path("pin");
                    if (pin.hasNonNull("digest")) {
                        out().printf("%s is pinned at %s by %s: %s; promoter unpin %s %s lets digests in again%n", name,
                                words.name(pin.path("digest").asText()), pin.path("by").asText("?"),
                                pin.path("reason").asText("no reason given"), application, name);
                    }
                    if (s.path("pending").isEmpty()) {
                        out().printf("%s: nothing waits to enter it; it runs %s%n", name,
                                s.hasNonNull("current") ? words.name(s.path("current").asText()) : "nothing yet");
                        continue;
                    }
                    for (JsonNode pending : s.path("pending")) {
                        out().printf("%s: %s from %s waits since %s: %s%n", name, words.name(pending.path("digest").asText()),
                                pending.path("from").asText("?"), words.when(pending.path("requestedAt")),
                                pending.path("blockedBecause").asText(""));
                        for (JsonNode gate : pending.path("gates")) {
                            String state = gate.path("state").asText();
                            String mark = switch (state) {
                                case "MET" -> "✔ met    ";
                                case "WAITING" -> "… waiting";
                                default -> "✘ blocked";
                            };
                            out().printf("    %s  %-10s %s%s%n", mark, gate.path("gate").asText(),
                                    gate.path("words").asText(""), gate.hasNonNull("changesAt")
                                            ? " (changes " + words.when(gate.path("changesAt")) + ")" : "");
                        }
                    }
                }
                if (stage == null) {
                    for (JsonNode artifact : view.path("artifacts")) {
                        if (artifact.hasNonNull("note")) {
                            out().printf("artifact %s: %s%n", words.name(artifact.path("digest").asText()),
                                    artifact.path("note").asText());
                        }
                    }
                }
            });
        }
    }

    @Command(name = "builds", description = "The artifacts the build service accepted for an application, the builds"
            + " it asked for, and the failed CI runs that explain why none came.")
    static final class Builds extends CommandBase {
        @Parameters(index = "0", paramLabel = "APP")
        String application;
        @Mixin
        PageOptions page;

        @Override
        public Integer call() {
            Api.Page answer = api().getPage(Service.BUILD, "/api/v1/applications/" + Api.segment(application)
                    + "/builds" + page.query());
            JsonNode builds = answer.body();
            StatusView words = new StatusView(Map.of(), root().clock().instant());
            return emit(builds, () -> {
                Output.Table artifacts = new Output.Table("DIGEST", "VERSION", "COMMIT", "AUTHOR", "SOURCE", "RECEIVED");
                for (JsonNode a : builds.path("artifacts")) {
                    artifacts.row(StatusView.shortDigest(a.path("digest").asText()),
                            a.path("labels").path(VERSION_LABEL).asText(null), shortCommit(a.path("commit").asText("")),
                            a.path("author").asText(null), a.path("source").asText(null), words.when(a.path("receivedAt")));
                }
                out().println("Artifacts of " + application + ", newest first:");
                if (artifacts.isEmpty()) {
                    out().println("  (none)");
                } else {
                    artifacts.print(out());
                }
                if (!builds.path("buildRequests").isEmpty()) {
                    out().println();
                    out().println("Builds asked for:");
                    Output.Table requests = new Output.Table("COMMIT", "BRANCH", "SOURCE", "PHASE", "ATTEMPTS", "LAST ERROR");
                    builds.path("buildRequests").forEach(r -> requests.row(shortCommit(r.path("commit").asText("")),
                            r.path("branch").asText(null), r.path("source").asText(null), r.path("phase").asText(null),
                            r.path("attempts").asInt(), r.path("lastError").asText(null)));
                    requests.print(out());
                }
                if (!builds.path("failures").isEmpty()) {
                    out().println();
                    out().println("Failed CI runs:");
                    Output.Table failures = new Output.Table("COMMIT", "SOURCE", "NAME", "CONCLUSION", "URL");
                    builds.path("failures").forEach(f -> failures.row(shortCommit(f.path("commit").asText("")),
                            f.path("source").asText(null), f.path("name").asText(null),
                            f.path("conclusion").asText(null), f.path("url").asText(null)));
                    failures.print(out());
                }
                olderPage(this, "builds " + application, page, answer);
            });
        }

        private static String shortCommit(String commit) {
            return commit.length() > 7 ? commit.substring(0, 7) : commit.isEmpty() ? null : commit;
        }
    }

    @Command(name = "tests", description = "The suite runs against one artifact, in every stage.")
    static final class Tests extends CommandBase {
        @Parameters(index = "0", paramLabel = "APP")
        String application;
        @Parameters(index = "1", paramLabel = "DIGEST", description = "sha256:<64 hex>")
        String digest;
        @Mixin
        PageOptions page;

        @Override
        public Integer call() {
            Api.Page answer = api().getPage(Service.TEST, "/api/v1/applications/" + Api.segment(application)
                    + "/artifacts/" + Api.segment(digest) + "/tests" + page.query());
            JsonNode runs = answer.body();
            return emit(runs, () -> {
                if (runs.isEmpty()) {
                    out().println("no suite ran against " + StatusView.shortDigest(digest) + " of " + application);
                    return;
                }
                Output.Table table = new Output.Table("STAGE", "SUITE", "KIND", "ATTEMPT", "OUTCOME", "DURATION", "REASON");
                runs.forEach(r -> table.row(r.path("stage").asText(), r.path("suite").asText(), r.path("kind").asText(null),
                        r.path("attempt").asInt(), r.hasNonNull("outcome") ? r.path("outcome").asText()
                                : r.path("phase").asText(), r.path("durationMs").asLong() + " ms",
                        r.path("reason").asText(null)));
                table.print(out());
                olderPage(this, "tests " + application + " " + digest, page, answer);
            });
        }
    }

    @Command(name = "decisions", description = "The audit trail of an application: every approval, rejection,"
            + " promotion by hand, pin and unpin, newest first.")
    static final class Decisions extends CommandBase {
        @Parameters(index = "0", paramLabel = "APP")
        String application;
        @Mixin
        PageOptions page;

        @Override
        public Integer call() {
            application(application);
            Api.Page answer = api().getPage(Service.PROMOTE, "/api/v1/applications/" + Api.segment(application)
                    + "/decisions" + page.query());
            JsonNode decisions = answer.body();
            StatusView words = new StatusView(names(application), root().clock().instant());
            return emit(decisions, () -> {
                if (decisions.isEmpty()) {
                    out().println("no decision recorded for " + application);
                    return;
                }
                Output.Table table = new Output.Table("WHEN", "STAGE", "DECISION", "DIGEST", "PERSON", "VIA", "COMMENT");
                decisions.forEach(d -> table.row(words.when(d.path("decidedAt")), d.path("stage").asText(),
                        d.path("decision").asText(), d.hasNonNull("digest") ? words.name(d.path("digest").asText()) : null,
                        d.path("person").asText(null), d.path("via").asText(null), d.path("comment").asText(null)));
                table.print(out());
                olderPage(this, "decisions " + application, page, answer);
            });
        }
    }

    /** After a page that has older entries: the command that shows them. */
    static void olderPage(CommandBase command, String arguments, PageOptions page, Api.Page answer) {
        if (answer.nextBefore() != null) {
            command.out().println("older: promoter " + arguments + (page.limit == null ? "" : " --limit " + page.limit)
                    + " --before " + answer.nextBefore());
        }
    }
}
