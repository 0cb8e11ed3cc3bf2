package dev.promoter.promote.definition;

import dev.promoter.contracts.PipelineSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One application's pipeline definition: its OCI repository, its stages in promotion order, where its builds come from
 * ({@code source}, null when the definition names none) and the people its approvals name.
 */
public record PipelineDefinition(String application, String repository, List<StageDefinition> stages,
                                 PipelineSource source, People people) {

    /** A definition that names no source and no people. */
    public PipelineDefinition(String application, String repository, List<StageDefinition> stages) {
        this(application, repository, stages, null, People.NONE);
    }

    public PipelineDefinition {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(repository, "repository");
        stages = List.copyOf(stages);
        people = people == null ? People.NONE : people;
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a pipeline definition needs at least one stage");
        }
        // Lookups by name must be unambiguous; the parser reports this to people, this guards code.
        Set<String> names = new HashSet<>();
        for (StageDefinition stage : stages) {
            if (!names.add(stage.name())) {
                throw new IllegalArgumentException("stage '" + stage.name() + "' appears twice in " + application);
            }
        }
    }

    /** The stage of that name, if the pipeline has one. */
    public Optional<StageDefinition> stage(String name) {
        return stages.stream().filter(stage -> stage.name().equals(name)).findFirst();
    }

    /** The stage a new artifact enters first. */
    public StageDefinition firstStage() {
        return stages.get(0);
    }

    /**
     * The stage after {@code stage}, or empty when {@code stage} is the last one.
     *
     * @throws IllegalArgumentException when the pipeline has no such stage: "unknown" must not read as "last"
     */
    public Optional<StageDefinition> nextStage(String stage) {
        int index = stageNames().indexOf(stage);
        if (index < 0) {
            throw new IllegalArgumentException(
                    "application " + application + " has no stage '" + stage + "'; its stages are " + stageNames());
        }
        return index + 1 < stages.size() ? Optional.of(stages.get(index + 1)) : Optional.empty();
    }

    /** The stage before {@code stage}, or empty for the first one. */
    public Optional<StageDefinition> previousStage(String stage) {
        int index = stageNames().indexOf(stage);
        return index > 0 ? Optional.of(stages.get(index - 1)) : Optional.empty();
    }

    /** The stage names in promotion order; each is also the stage's registry tag. */
    public List<String> stageNames() {
        return stages.stream().map(StageDefinition::name).toList();
    }
}
