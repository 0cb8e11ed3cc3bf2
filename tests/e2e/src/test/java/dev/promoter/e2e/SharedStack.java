package dev.promoter.e2e;

import dev.promoter.harness.LocalPipeline;
import java.nio.file.Path;
import java.util.List;

/**
 * One stack for the stories that need nothing of their own from it (default settings, their own applications, no
 * look at every application or every topic: PipelineStoriesIT redelivers every topic and compares every application,
 * and DashboardStoryIT's sample app would fail its prod probes once closed, so they keep stacks of their own): it starts with the first of them and stops when the test JVM exits
 * (the harness's shutdown hook). Each stack start costs 4 service JVMs, a broker, a database and a registry, about
 * 30 s on 2 quiet cores; sharing one saves that for every story class but the first.
 *
 * <p>Its logs and data have folders of their own ({@code target/e2e-shared-logs}, {@code target/e2e-shared-stack}):
 * a story class that starts a stack of its own empties {@code target/e2e-logs} and {@code target/e2e-stack}, while
 * this one runs on. A class using it must not stop it, and must leave every part running when it is done (a fault
 * story starts again what it stopped).
 */
final class SharedStack {

    private static LocalPipeline pipeline;

    private SharedStack() {
    }

    /** The shared stack, started on first use. */
    static synchronized LocalPipeline pipeline() {
        if (pipeline == null) {
            LocalPipeline.Settings defaults = LocalPipeline.Settings.fromSystemProperties();
            Path target = defaults.logs().getParent();
            pipeline = LocalPipeline.start(new LocalPipeline.Settings(defaults.root(),
                    target.resolve("e2e-shared-logs"), target.resolve("e2e-shared-stack"), List.of(),
                    defaults.registryProxy(), defaults.serviceEnvironment()));
        }
        return pipeline;
    }
}
