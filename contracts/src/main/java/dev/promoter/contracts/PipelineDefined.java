package dev.promoter.contracts;

import java.util.List;

/**
 * An application's pipeline definition was saved: its repository, its stages and where its builds come from, and,
 * since definitions are versioned, which revision it is, who saved it and the stages whose gates it changed.
 * Published on a compacted topic keyed by application, so the newest definition of each application stays.
 *
 * @param application  the application
 * @param repository   its OCI repository
 * @param stages       its stage names in promotion order
 * @param source       where its builds come from, or null when the definition names no source
 * @param revision     the definition's revision number (1 for the first save); null from senders before versioning
 * @param savedBy      who saved it ({@code api:<caller>}, {@code folder <path>}); null when not known
 * @param gatesChanged stages whose approval rules, approvers or gates this revision changed (removed stages too);
 *                     empty when it changed none
 */
public record PipelineDefined(String application, String repository, List<String> stages, PipelineSource source,
                              Integer revision, String savedBy, List<String> gatesChanged)
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
        if (revision != null && revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1, got " + revision);
        }
        gatesChanged = gatesChanged == null ? List.of() : List.copyOf(gatesChanged);
        gatesChanged.forEach(stage -> Require.name(stage, "gatesChanged[]"));
    }

    /** A definition announced without its revision, as before definitions were versioned. */
    public PipelineDefined(String application, String repository, List<String> stages, PipelineSource source) {
        this(application, repository, stages, source, null, null, List.of());
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
