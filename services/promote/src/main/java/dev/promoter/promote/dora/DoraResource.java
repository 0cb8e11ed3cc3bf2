package dev.promoter.promote.dora;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An application's DORA figures for a stage (prod unless asked) over a window (30 days unless asked). */
@Path("/api/v1/applications/{application}/dora")
@Produces(MediaType.APPLICATION_JSON)
public class DoraResource {

    private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,5})([dhm])");
    private static final Duration LONGEST = Duration.ofDays(366);

    private final DefinitionService definitions;
    private final DoraService dora;
    private final Access access;

    DoraResource(DefinitionService definitions, DoraService dora, Access access) {
        this.definitions = definitions;
        this.dora = dora;
        this.access = access;
    }

    /** The four figures with what each counts; durations in seconds. */
    public record DoraView(String application, String stage, String window, DeploymentFrequency deploymentFrequency,
                           LeadTime leadTimeForChanges, ChangeFailureRate changeFailureRate,
                           TimeToRestore timeToRestore) {
    }

    /** Moves into the stage in the window (rollbacks not counted), and per day. */
    public record DeploymentFrequency(int deployments, double perDay) {
    }

    /** Median commit → move into the stage, over the moves whose commit time is known; null when none is. */
    public record LeadTime(Long medianSeconds, int samples) {
    }

    /** Moves found unhealthy in the stage before its next move ÷ moves; null without moves. */
    public record ChangeFailureRate(Double rate, int failed, int deployments) {
    }

    /** Median unhealthy verdict → stage healthy again; {@code unrestored}: an episode still open. */
    public record TimeToRestore(Long medianSeconds, int restores, int unrestored) {
    }

    /** Role: viewer. */
    @GET
    @WithSession
    public Uni<DoraView> figures(@PathParam("application") String application,
                                 @QueryParam("window") @DefaultValue("30d") String window,
                                 @QueryParam("stage") String stage,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        Duration length = window(window);
        return definitions.find(application).chain(definition -> {
            if (definition == null) {
                throw ProblemException.notFound("no pipeline definition for " + application);
            }
            String chosen = stage(definition, stage);
            return dora.figures(application, chosen, length).map(figures -> view(application, window, figures));
        });
    }

    static Duration window(String text) {
        Matcher matcher = WINDOW.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw ProblemException.badRequest("window must be <n>d, <n>h or <n>m, e.g. 30d",
                    List.of("window: got '" + text + "'"));
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration length = switch (matcher.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (length.compareTo(LONGEST) > 0) {
            throw ProblemException.badRequest("window must be at most 366d", List.of("window: got '" + text + "'"));
        }
        return length;
    }

    /** The stage asked for; without one, prod, or the last stage of a pipeline that has no prod. */
    private static String stage(PipelineDefinition definition, String asked) {
        if (asked != null) {
            if (definition.stage(asked).isEmpty()) {
                throw ProblemException.notFound(definition.application() + " has no stage " + asked + "; its stages: "
                        + String.join(", ", definition.stageNames()));
            }
            return asked;
        }
        return DoraService.defaultStage(definition.stageNames());
    }

    private static DoraView view(String application, String window, DoraFigures figures) {
        return new DoraView(application, figures.stage(), window,
                new DeploymentFrequency(figures.deployments(), figures.deploymentsPerDay()),
                new LeadTime(seconds(figures.leadTime()), figures.leadTimeSamples()),
                new ChangeFailureRate(figures.changeFailureRate(), figures.failedDeployments(), figures.deployments()),
                new TimeToRestore(seconds(figures.timeToRestore()), figures.restores(), figures.unrestored()));
    }

    private static Long seconds(Duration duration) {
        return duration == null ? null : duration.toSeconds();
    }
}
