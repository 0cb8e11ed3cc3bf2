package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands at a stage's gates: approve, reject, promote by hand, pin, unpin (promote service). */
final class GateCommands {

    static final String APPROVER = "approver";
    static final String RELEASER = "releaser";

    private GateCommands() {
    }

    /** approve and reject: the digest waiting to enter the stage, found when not named. */
    abstract static class Decide extends CommandBase {
        @Mixin
        StageRef at;
        @Parameters(index = "2", arity = "0..1", paramLabel = "DIGEST",
                description = "the waiting digest; needed only when more than one waits")
        String digest;
        @Option(names = {"-m", "--comment"}, paramLabel = "COMMENT", description = "kept in the audit trail")
        String comment;

        abstract String decision();

        @Override
        public Integer call() {
            JsonNode view = application(at.application);
            String chosen = digest != null ? digest : waiting(view, at.stage, names(at.application));
            ObjectNode body = Api.JSON.createObjectNode().put("digest", chosen).put("decision", decision())
                    .put("comment", comment);
            JsonNode outcome = api().write(Service.PROMOTE, "POST", at.path("/approvals"), body, APPROVER);
            return printOutcome(this, outcome, decision().equals("approve") ? "approved" : "rejected");
        }
    }

    @Command(name = "approve", description = "Approve the digest waiting to enter a gated stage.")
    static final class Approve extends Decide {
        @Override
        String decision() {
            return "approve";
        }
    }

    @Command(name = "reject", description = "Reject the digest waiting to enter a gated stage: it stays out of it.")
    static final class Reject extends Decide {
        @Override
        String decision() {
            return "reject";
        }
    }

    @Command(name = "promote", description = "Promote a digest into a stage by hand (a manual stage's step, or a new"
            + " request after a rejection or lapse); the digest must have entered the previous stage.")
    static final class Promote extends CommandBase {
        @Mixin
        StageRef at;
        @Parameters(index = "2", paramLabel = "DIGEST")
        String digest;
        @Option(names = {"-m", "--comment"}, paramLabel = "COMMENT")
        String comment;

        @Override
        public Integer call() {
            JsonNode outcome = api().write(Service.PROMOTE, "POST", at.path("/promotions"), Map.of("digest", digest, "comment", comment == null ? "" : comment), RELEASER);
            return printOutcome(this, outcome, "asked to promote");
        }
    }

    @Command(name = "pin", description = "Hold a stage at a digest (its current one by default) against every"
            + " promotion.")
    static final class Pin extends CommandBase {
        @Mixin
        StageRef at;
        @Option(names = "--digest", paramLabel = "DIGEST", description = "default: what the stage runs")
        String digest;
        @Option(names = {"-m", "--reason"}, paramLabel = "REASON", description = "why; shown wherever the stage is")
        String reason;

        @Override
        public Integer call() {
            ObjectNode body = Api.JSON.createObjectNode().put("digest", digest).put("reason", reason);
            JsonNode outcome = api().write(Service.PROMOTE, "PUT", at.path("/pin"), body, RELEASER);
            return printOutcome(this, outcome, "pinned");
        }
    }

    @Command(name = "unpin", description = "Lift a stage's pin; waiting digests are evaluated at once.")
    static final class Unpin extends CommandBase {
        @Mixin
        StageRef at;

        @Override
        public Integer call() {
            JsonNode outcome = api().write(Service.PROMOTE, "DELETE", at.path("/pin"), null, RELEASER);
            return printOutcome(this, outcome, "unpinned");
        }
    }

    /** The one digest waiting to enter the stage; a refusal when none or several wait. */
    static String waiting(JsonNode view, String stage, Map<String, String> names) {
        JsonNode pending = CommandBase.stage(view, stage).path("pending");
        String application = view.path("application").asText();
        if (pending.isEmpty()) {
            throw CliException.refused("nothing waits to enter " + stage + " of " + application
                    + "; see promoter status " + application);
        }
        if (pending.size() > 1) {
            List<String> digests = new ArrayList<>();
            StatusView words = new StatusView(names, java.time.Instant.now());
            pending.forEach(p -> digests.add(p.path("digest").asText() + " (" + words.name(p.path("digest").asText())
                    + ")"));
            throw CliException.refused(pending.size() + " digests wait to enter " + stage + " of " + application
                    + "; name one: " + String.join(", ", digests));
        }
        return pending.get(0).path("digest").asText();
    }

    /** {@code prod: sha256:… approved by api:local — PROMOTED: …}. */
    static int printOutcome(CommandBase command, JsonNode outcome, String verb) {
        return command.emit(outcome, () -> command.out().printf("%s %s: %s %s by %s — %s%s%n",
                outcome.path("application").asText(), outcome.path("stage").asText(),
                StatusView.shortDigest(outcome.path("digest").asText("")), verb, outcome.path("person").asText("?"),
                outcome.path("phase").asText(""), outcome.hasNonNull("explanation")
                        ? ": " + outcome.path("explanation").asText() : ""));
    }
}
