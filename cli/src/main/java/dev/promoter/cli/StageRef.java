package dev.promoter.cli;

import picocli.CommandLine.Parameters;

/** {@code APP STAGE}: the first two parameters of every command about one stage. */
final class StageRef {

    @Parameters(index = "0", paramLabel = "APP", description = "the application")
    String application;

    @Parameters(index = "1", paramLabel = "STAGE", description = "the stage")
    String stage;

    /** {@code /api/v1/applications/{app}/stages/{stage}} and {@code suffix}, percent-encoded. */
    String path(String suffix) {
        return "/api/v1/applications/" + Api.segment(application) + "/stages/" + Api.segment(stage) + suffix;
    }
}
