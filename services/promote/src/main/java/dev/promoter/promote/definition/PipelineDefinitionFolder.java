package dev.promoter.promote.definition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A folder of pipeline definition files, one application per {@code *.yaml} or {@code *.yml} file, read at
 * start-up; any bad file fails the whole load, so a service never starts on half its pipelines.
 */
public final class PipelineDefinitionFolder {

    private final PipelineDefinitionParser parser;

    public PipelineDefinitionFolder(PipelineDefinitionParser parser) {
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * Every definition in the folder, in file name order. Subfolders and hidden files are skipped, which
     * also skips the {@code ..data} links of a Kubernetes ConfigMap mount while following its file links.
     *
     * @throws InvalidPipelineDefinitionException naming each bad file with its messages, and each application
     *         defined by more than one file
     * @throws UncheckedIOException when the folder does not exist or cannot be read
     */
    public List<PipelineDefinition> load(Path folder) {
        List<Path> files = definitionFiles(folder);
        List<String> problems = new ArrayList<>();
        Map<String, Path> fileByApplication = new LinkedHashMap<>();
        List<PipelineDefinition> definitions = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                PipelineDefinition definition = parser.parse(read(file));
                Path earlier = fileByApplication.putIfAbsent(definition.application(), file);
                if (earlier != null) {
                    problems.add(name + ": application " + definition.application() + " is already defined by "
                            + earlier.getFileName() + "; keep one file per application");
                } else {
                    definitions.add(definition);
                }
            } catch (InvalidPipelineDefinitionException e) {
                e.messages().forEach(message -> problems.add(name + ": " + message));
            }
        }
        // All files are read before failing, so one start-up attempt shows every problem at once.
        if (!problems.isEmpty()) {
            throw new InvalidPipelineDefinitionException("invalid pipeline definitions in " + folder, problems);
        }
        return List.copyOf(definitions);
    }

    private static List<Path> definitionFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UncheckedIOException(new NoSuchFileException(folder.toString(), null,
                    "the pipeline definition folder does not exist or is not a folder"));
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries
                    .filter(PipelineDefinitionFolder::isDefinitionFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isDefinitionFile(Path path) {
        String name = path.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".")
                && (lower.endsWith(".yaml") || lower.endsWith(".yml"))
                && Files.isRegularFile(path);
    }

    // Refuses an oversized file by its size, without reading it into memory.
    private static byte[] read(Path file) {
        try {
            long size = Files.size(file);
            if (size > PipelineDefinitionParser.MAX_BYTES) {
                throw new InvalidPipelineDefinitionException(List.of(Wording.at("", "is " + size
                        + " bytes, more than the " + PipelineDefinitionParser.MAX_BYTES
                        + " bytes (256 KiB) a pipeline definition may take")));
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidPipelineDefinitionException(List.of(Wording.at("", "cannot be read: " + e)));
        }
    }
}
