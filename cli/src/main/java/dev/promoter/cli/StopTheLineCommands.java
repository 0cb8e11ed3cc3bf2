package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Halting every automatic promotion of one application, or of all, and resuming (promote service). */
final class StopTheLineCommands {

    static final String PATH = "/api/v1/stop-the-line";
    static final String OPERATOR = "operator";

    private StopTheLineCommands() {
    }

    @Command(name = "stop-the-line", description = "Halt every automatic promotion of an application (of all when none"
            + " is named); rollbacks still happen. Shown in status and watch until resume.")
    static final class StopTheLine extends CommandBase {
        @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "default: every application")
        String application;
        @Option(names = {"-m", "--reason"}, required = true, paramLabel = "REASON", description = "why; shown everywhere")
        String reason;

        @Override
        public Integer call() {
            ObjectNode body = Api.JSON.createObjectNode().put("reason", reason);
            if (application != null) {
                body.put("application", application);
            }
            JsonNode answer = api().write(Service.PROMOTE, "POST", PATH, body, OPERATOR);
            return emit(answer, () -> out().printf("line stopped for %s: automatic promotions wait until promoter"
                    + " resume%s; rollbacks still happen%n", application == null ? "all applications" : application,
                    application == null ? "" : " " + application));
        }
    }

    @Command(name = "resume", description = "Lift the stop of an application's line (the all-applications stop when"
            + " none is named).")
    static final class Resume extends CommandBase {
        @Parameters(index = "0", arity = "0..1", paramLabel = "APP")
        String application;

        @Override
        public Integer call() {
            JsonNode answer = api().write(Service.PROMOTE, "DELETE", PATH
                    + (application == null ? "" : "?application=" + Api.segment(application)), null, OPERATOR);
            return emit(answer, () -> out().printf("line resumed for %s%n",
                    application == null ? "all applications" : application));
        }
    }
}
