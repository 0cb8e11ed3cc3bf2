package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** An application's pipeline definition, as YAML, kept by the promote service. */
final class DefinitionCommands {

    static final String ADMIN = "admin";
    /** As large as the promote service accepts. */
    static final int MAX_BYTES = 256 * 1024;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper CANONICAL = new ObjectMapper(new YAMLFactory()
            .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private DefinitionCommands() {
    }

    static String path(String application) {
        return "/api/v1/applications/" + Api.segment(application) + "/pipeline";
    }

    @Command(name = "define", description = "Save an application's pipeline definition (YAML), showing the change"
            + " against the stored one first.")
    static final class Define extends CommandBase {
        @Parameters(index = "0", paramLabel = "APP")
        String application;
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "the definition; - for stdin")
        String file;
        @Option(names = "--dry-run", description = "have the promote service check the definition as a save would and"
                + " show the change; save nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            String yaml = read(file);
            checkForm(application, yaml);
            String stored = api().getText(Service.PROMOTE, path(application), "application/yaml");
            ObjectNode document = Api.JSON.createObjectNode().put("application", application)
                    .put("stored", stored != null).put("dryRun", dryRun);
            if (dryRun) {
                // The service checks it as a save would (the same refusals) and answers the definition as it would
                // store it, defaults written out: the change shown is the one a save makes.
                JsonNode checked = api().postForJson(Service.PROMOTE, path(application) + "/validate", yaml,
                        "application/yaml", ADMIN);
                String wouldStore = checked.path("definition").asText();
                List<String> diff = diff(lines(canonical(stored)), lines(canonical(wouldStore)));
                document.put("saved", false).put("valid", checked.path("valid").asBoolean())
                        .put("definition", wouldStore).set("gatesChanged", checked.path("gatesChanged"));
                document.putArray("diff").addAll(diff.stream().map(Api.JSON::<JsonNode>valueToTree).toList());
                return emit(document, () -> {
                    printDiff(stored, diff, "definition as it would be saved");
                    JsonNode gates = checked.path("gatesChanged");
                    if (gates.size() > 0) {
                        List<String> stages = new ArrayList<>();
                        gates.forEach(g -> stages.add(g.asText()));
                        out().println("the gates of " + String.join(", ", stages) + " would change");
                    }
                    out().println("dry run: the promote service found the definition valid; nothing saved");
                });
            }
            String saved = api().put(Service.PROMOTE, path(application), yaml, "application/yaml", ADMIN);
            // The service answers with the definition as stored: the change is exact, defaults and all.
            List<String> diff = diff(lines(canonical(stored)), lines(canonical(saved)));
            document.put("saved", true).put("definition", saved).putArray("diff")
                    .addAll(diff.stream().map(Api.JSON::<JsonNode>valueToTree).toList());
            return emit(document, () -> {
                printDiff(stored, diff, "saved definition");
                out().println("saved the pipeline definition of " + application
                        + (stored == null ? " (new)" : "") + "; promoter get-definition " + application
                        + " shows it as stored");
            });
        }

        private void printDiff(String stored, List<String> diff, String newSide) {
            if (stored == null) {
                out().println("no definition of " + application + " was stored; the whole definition is new:");
            } else if (diff.stream().noneMatch(l -> l.startsWith("+") || l.startsWith("-"))) {
                out().println("no line differs from the stored definition of " + application);
                return;
            } else {
                out().println("--- stored definition of " + application);
                out().println("+++ " + newSide);
            }
            (stored == null ? diff : withContext(diff, 2)).forEach(out()::println);
        }
    }

    @Command(name = "get-definition", description = "An application's stored pipeline definition, as YAML.")
    static final class GetDefinition extends CommandBase {
        @Parameters(index = "0", paramLabel = "APP")
        String application;

        @Override
        public Integer call() {
            String yaml = api().getText(Service.PROMOTE, path(application), "application/yaml");
            if (yaml == null) {
                throw CliException.refused("application " + application + " has no pipeline definition; save one with"
                        + " promoter define " + application + " -f FILE");
            }
            JsonNode tree;
            try {
                tree = YAML.readTree(yaml);
            } catch (IOException e) {
                throw CliException.refused("the stored definition is not YAML: " + e.getMessage());
            }
            if (output() == Output.JSON) {
                return emit(tree, () -> { });
            }
            out().print(yaml.endsWith("\n") ? yaml : yaml + "\n");
            return 0;
        }
    }

    static String read(String file) {
        try {
            byte[] bytes = file.equals("-") ? System.in.readNBytes(MAX_BYTES + 1) : Files.readAllBytes(Path.of(file));
            if (bytes.length > MAX_BYTES) {
                throw CliException.refused(file + " is larger than the " + MAX_BYTES / 1024
                        + " KiB a pipeline definition may be");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.refused("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The YAML as Jackson writes it: comments, quoting and layout left out of the comparison; "" for null. */
    static String canonical(String yaml) {
        if (yaml == null) {
            return "";
        }
        try {
            return CANONICAL.writeValueAsString(YAML.readTree(yaml));
        } catch (IOException e) {
            return yaml;
        }
    }

    /** The changed lines with {@code context} unchanged lines around each, and {@code  …} where lines are left out. */
    static List<String> withContext(List<String> diff, int context) {
        boolean[] keep = new boolean[diff.size()];
        for (int i = 0; i < diff.size(); i++) {
            if (!diff.get(i).startsWith(" ")) {
                for (int k = Math.max(0, i - context); k <= Math.min(diff.size() - 1, i + context); k++) {
                    keep[k] = true;
                }
            }
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < diff.size(); i++) {
            if (keep[i]) {
                shown.add(diff.get(i));
            } else if (i > 0 && keep[i - 1]) {
                shown.add(" …");
            }
        }
        return shown;
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : text.lines().toList();
    }

    /** A YAML mapping whose {@code application}, when given, is the one named on the command line. */
    static void checkForm(String application, String yaml) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            throw CliException.refused("the file is not YAML: " + Api.oneLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw CliException.refused("a pipeline definition is a YAML mapping (application, repository, stages, ...)");
        }
        String named = tree.path("application").asText(null);
        if (named != null && !named.equals(application)) {
            throw CliException.refused("the file defines application " + named + ", not " + application);
        }
    }

    /**
     * The lines of {@code after} against {@code before}, each prefixed {@code " "} (same), {@code "-"} (only before)
     * or {@code "+"} (only after): a longest-common-subsequence diff; definitions are at most 256 KiB.
     */
    static List<String> diff(List<String> before, List<String> after) {
        int n = before.size();
        int m = after.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && before.get(i).equals(after.get(j))) {
                lines.add(" " + before.get(i++));
                j++;
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                lines.add("-" + before.get(i++));
            } else {
                lines.add("+" + after.get(j++));
            }
        }
        return lines;
    }
}
