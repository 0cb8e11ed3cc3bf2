package dev.promoter.contracts;

import java.util.List;

/**
 * An application's pipeline definition was saved: its repository, its stages and where its builds come from.
 * Published on a compacted topic keyed by application, so the newest definition of each application stays.
 *
 * @param application the application
 * @param repository  its OCI repository
 * @param stages      its stage names in promotion order
 * @param source      where its builds come from, or null when the definition names no source
 */
public record PipelineDefined(String application, String repository, List<String> stages, PipelineSource source)
        implements PipelineEvent {

    /** A custom type, named by the CDEvents rule {@code dev.cdeventsx.<tool>-<subject>.<predicate>.<version>}. */
    public static final String TYPE = "dev.cdeventsx.promoter-pipeline.defined.0.1.0";

    public PipelineDefined {
        Require.name(application, "application");
        Require.repository(repository);
        stages = List.copyOf(Require.present(stages, "stages"));
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages must name at least one stage");
        }
        stages.forEach(stage -> Require.name(stage, "stages[]"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String subjectId() {
        return application;
    }

    @Override
    public Topic topic() {
        return Topics.DEFINITIONS;
    }
}
