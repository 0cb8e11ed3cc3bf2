package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the root's settings, the APIs, the output, and a few reads several commands make. */
abstract class CommandBase implements Callable<Integer> {

    static final String VERSION_LABEL = "org.opencontainers.image.version";

    @Spec
    CommandSpec spec;

    Promoter root() {
        return (Promoter) spec.root().userObject();
    }

    Api api() {
        return root().api();
    }

    PrintStream out() {
        return root().out();
    }

    Output output() {
        return root().output();
    }

    /** Prints the document as JSON/YAML, or runs {@code table}; exit status 0. */
    int emit(JsonNode document, Runnable table) {
        output().print(document, out(), table);
        return 0;
    }

    /** Promote's view of the application; a refusal naming the known applications when it has none. */
    JsonNode application(String application) {
        JsonNode view = api().getOrNull(Service.PROMOTE, "/api/v1/applications/" + Api.segment(application));
        if (view == null) {
            List<String> known = new ArrayList<>();
            api().get(Service.PROMOTE, "/api/v1/applications").forEach(a -> known.add(a.path("application").asText()));
            throw CliException.refused("application " + application + " has no pipeline definition"
                    + (known.isEmpty() ? "; define one with promoter define " + application + " -f FILE"
                    : "; known: " + String.join(", ", known)));
        }
        return view;
    }

    /** The names of every application promote has a pipeline definition of. */
    List<String> applications() {
        List<String> names = new ArrayList<>();
        api().get(Service.PROMOTE, "/api/v1/applications").forEach(a -> names.add(a.path("application").asText()));
        return names;
    }

    /** One stage of promote's application view; a refusal naming the stages when there is no such stage. */
    static JsonNode stage(JsonNode application, String stage) {
        List<String> names = new ArrayList<>();
        for (JsonNode node : application.path("stages")) {
            if (stage.equals(node.path("name").asText())) {
                return node;
            }
            names.add(node.path("name").asText());
        }
        throw CliException.refused(application.path("application").asText() + " has no stage " + stage + "; its stages: "
                + String.join(", ", names));
    }

    /** The rollback service's history of a stage, or null when it knows nothing of it. */
    JsonNode rollbackHistory(String application, String stage) {
        return api().getOrNull(Service.ROLLBACK, "/api/v1/applications/" + Api.segment(application) + "/stages/"
                + Api.segment(stage) + "/history");
    }

    /**
     * A name per digest the build service knows: its image's version label, else the commit's first 7 characters;
     * empty when the build service cannot say (the names only help reading).
     */
    Map<String, String> names(String application) {
        Map<String, String> names = new HashMap<>();
        try {
            JsonNode builds = api().getOrNull(Service.BUILD, "/api/v1/applications/" + Api.segment(application)
                    + "/builds");
            if (builds != null) {
                for (JsonNode artifact : builds.path("artifacts")) {
                    String version = artifact.path("labels").path(VERSION_LABEL).asText("");
                    String commit = artifact.path("commit").asText("");
                    String name = !version.isBlank() ? version : commit.length() >= 7 ? commit.substring(0, 7) : null;
                    if (name != null) {
                        names.putIfAbsent(artifact.path("digest").asText(), name);
                    }
                }
            }
        } catch (CliException e) {
            // names are a help to the reader: without the build service, short digests alone
        }
        return names;
    }

    /**
     * The active stops of the line (all of them, or those holding {@code application}: its own and the all-applications
     * one); empty when the promote service does not offer stop-the-line.
     */
    ArrayNode stops(String application) {
        ArrayNode stops = Api.JSON.createArrayNode();
        JsonNode answer = api().getOrNull(Service.PROMOTE, StopTheLineCommands.PATH);
        if (answer == null) {
            return stops;
        }
        for (JsonNode stop : answer.isArray() ? answer : answer.path("stops")) {
            String of = stop.path("application").asText(null);
            if (application == null || of == null || of.equals(application)) {
                stops.add(stop);
            }
        }
        return stops;
    }

    /** One line about a stop: which applications, by whom, since when, why. */
    static String describeStop(JsonNode stop, StatusView view) {
        String of = stop.path("application").asText(null);
        String by = firstText(stop, "stoppedBy", "by", "actor", "person");
        JsonNode at = stop.hasNonNull("stoppedAt") ? stop.path("stoppedAt") : stop.path("at");
        return "line stopped for " + (of == null ? "all applications" : of) + (by == null ? "" : " by " + by)
                + (at.isMissingNode() || at.isNull() ? "" : " at " + view.when(at))
                + (stop.hasNonNull("reason") ? ": " + stop.path("reason").asText() : "")
                + "; automatic promotions wait (rollbacks still happen)";
    }

    static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            if (node.hasNonNull(field) && !node.path(field).asText().isBlank()) {
                return node.path(field).asText();
            }
        }
        return null;
    }
}
