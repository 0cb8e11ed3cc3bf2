package dev.promoter.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a Kustomize folder with {@code kubectl kustomize}, offline, into the objects it would apply. */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    /** The folder holding base/ and overlays/: this module sits in infra/k8s/check. */
    static Path k8sDir() {
        Path dir = Path.of("").toAbsolutePath().getParent();
        if (!Files.isDirectory(dir.resolve("overlays"))) {
            throw new IllegalStateException("no overlays/ in " + dir + "; run from infra/k8s/check");
        }
        return dir;
    }

    /** Every overlay folder under overlays/. */
    static List<Path> overlays() throws IOException {
        try (var dirs = Files.list(k8sDir().resolve("overlays"))) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Renders the folder and reads back every object, in order. */
    static List<ObjectNode> render(Path folder) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", folder.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + folder + " took over 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + folder + " failed: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return readAll(Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The objects of a multi-document YAML text; empty documents are skipped. */
    static List<ObjectNode> readAll(String yaml) throws IOException {
        List<ObjectNode> objects = new ArrayList<>();
        try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(yaml)) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node instanceof ObjectNode object) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }
}
