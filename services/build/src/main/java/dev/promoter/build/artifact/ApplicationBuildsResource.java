package dev.promoter.build.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /api/v1/applications/{app}/builds}: what the build service knows of an application: where its builds
 * come from, each artifact with the door and delivery it came through, the builds it asked for, and the failed
 * CI runs that explain why no artifact came.
 */
@Path("/api/v1/applications/{application}/builds")
public class ApplicationBuildsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };

    private final Pool pool;
    private final Access access;

    ApplicationBuildsResource(Pool pool, Access access) {
        this.pool = pool;
        this.access = access;
    }

    /**
     * The answer: one page of the artifacts, newest first ({@code ?limit=&before=}), {@code nextBefore} the
     * {@code before} of the next (older) page, absent on the last; the newest {@code limit} build requests and failed
     * CI runs.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Builds(String application, Source source, List<ArtifactView> artifacts,
                         List<BuildRequestView> buildRequests, List<FailureView> failures, Long nextBefore) {
    }

    /** Where builds come from, as the pipeline definition says. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String repository, String github, String gitlab, List<String> branches, String jenkinsUrl,
                         String jenkinsJob) {
    }

    /** An accepted artifact and where it came from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArtifactView(@com.fasterxml.jackson.annotation.JsonIgnore long id, String digest, String repository, String commit, String author, String buildUrl,
                               String source, String deliveryId, String reportedBy, String eventId,
                               OffsetDateTime receivedAt, Map<String, String> labels) {
    }

    /** A build the service asked a builder for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BuildRequestView(String commit, String branch, String source, String jenkinsJob, String phase,
                                   int attempts, String queueItem, String lastError, OffsetDateTime requestedAt) {
    }

    /** A CI run that failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FailureView(String commit, String source, String name, String conclusion, String url,
                              OffsetDateTime receivedAt) {
    }

    /** Role: viewer. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Builds> builds(@PathParam("application") String application,
                              @QueryParam("limit") String limit, @QueryParam("before") String before,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "an artifact id");
        Tuple app = Tuple.of(application);
        Tuple newest = Tuple.of(application, size);
        Uni<List<Source>> source = query("select repository, github, gitlab, branches, jenkins_url, jenkins_job"
                + " from application_source where application = $1", app, row -> new Source(row.getString("repository"),
                row.getString("github"), row.getString("gitlab"), row.getString("branches").isEmpty() ? List.of()
                : List.of(row.getString("branches").split("\n")), row.getString("jenkins_url"),
                row.getString("jenkins_job")));
        Uni<List<ArtifactView>> artifacts = query("select id, digest, repository, commit_id, author, build_url, source,"
                + " delivery_id, reported_by, event_id, received_at, labels from artifact where application = $1"
                + " and id < $2 order by id desc limit $3", Tuple.of(application, Pages.below(cursor), Pages.fetch(size)),
                row -> new ArtifactView(row.getLong("id"), row.getString("digest"),
                row.getString("repository"), row.getString("commit_id"), row.getString("author"),
                row.getString("build_url"), row.getString("source"), row.getString("delivery_id"),
                row.getString("reported_by"), row.getString("event_id"), row.getOffsetDateTime("received_at"),
                labels(row.getString("labels"))));
        Uni<List<BuildRequestView>> requests = query("select commit_id, branch, source, jenkins_job, phase, attempts,"
                + " queue_item, last_error, requested_at from build_request where application = $1 order by id desc"
                + " limit $2", newest, row -> new BuildRequestView(row.getString("commit_id"), row.getString("branch"),
                row.getString("source"), row.getString("jenkins_job"), row.getString("phase"), row.getInteger("attempts"),
                row.getString("queue_item"), row.getString("last_error"), row.getOffsetDateTime("requested_at")));
        Uni<List<FailureView>> failures = query("select commit_id, source, name, conclusion, url, received_at"
                + " from build_failure where application = $1 order by id desc limit $2", newest,
                row -> new FailureView(row.getString("commit_id"), row.getString("source"), row.getString("name"),
                        row.getString("conclusion"), row.getString("url"), row.getOffsetDateTime("received_at")));
        return Uni.combine().all().unis(source, artifacts, requests, failures).asTuple().map(all -> {
            if (all.getItem1().isEmpty() && all.getItem2().isEmpty() && all.getItem3().isEmpty()
                    && all.getItem4().isEmpty()) {
                throw ProblemException.notFound("the build service knows nothing of application " + application
                        + ": no pipeline definition and no build");
            }
            Pages.Page<ArtifactView> page = Pages.of(all.getItem2(), size, ArtifactView::id);
            return new Builds(application, all.getItem1().isEmpty() ? null : all.getItem1().get(0), page.items(),
                    all.getItem3(), all.getItem4(), page.nextBefore());
        });
    }

    private static Map<String, String> labels(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("artifact labels are stored as a JSON object of strings", e);
        }
    }

    private <T> Uni<List<T>> query(String sql, Tuple parameters, Function<Row, T> mapper) {
        return pool.preparedQuery(sql).execute(parameters).map((RowSet<Row> rows) -> {
            List<T> list = new ArrayList<>();
            rows.forEach(row -> list.add(mapper.apply(row)));
            return list;
        });
    }
}
