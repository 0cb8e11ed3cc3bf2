package dev.promoter.promote.definition;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * {@code PUT|GET /api/v1/applications/{app}/pipeline}: an application's pipeline definition, as YAML, with its
 * revision as the {@code ETag}; {@code GET .../pipeline/revisions} and {@code .../revisions/{n}}: every saved version,
 * who saved it, when, and its diff against the one before; {@code POST .../pipeline/validate}: every check of a save,
 * and the change it would make, without saving.
 */
@Path("/api/v1/applications/{application}/pipeline")
public class PipelineDefinitionResource {

    /** Revisions listed per page unless {@code limit} says otherwise, and the most a page holds. */
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    /** One revision in the list. */
    public record RevisionSummary(int revision, String savedBy, Instant savedAt, List<String> gatesChanged) {
    }

    /** A page of revisions, newest first; {@code next} reads the page after it, null on the last one. */
    public record RevisionPage(List<RevisionSummary> revisions, String next) {
    }

    /** One revision: the definition as saved and the unified diff from the revision before (all added for 1). */
    public record RevisionView(int revision, String savedBy, Instant savedAt, List<String> gatesChanged,
                               String definition, String diff) {
    }

    /**
     * What a save of the definition would do: {@code storedRevision} the current revision (0: none yet), the
     * definition as it would be stored (every default written out), the unified diff from the stored one to it
     * (empty: a save would change nothing) and the stages whose gates would change.
     */
    public record Validation(String application, boolean valid, int storedRevision, boolean changed,
                             String definition, String diff, List<String> gatesChanged) {
    }

    private final DefinitionService definitions;
    private final DefinitionRevisions revisions;
    private final Access access;
    private final PipelineDefinitionParser parser = new PipelineDefinitionParser();

    PipelineDefinitionResource(DefinitionService definitions, DefinitionRevisions revisions, Access access) {
        this.definitions = definitions;
        this.revisions = revisions;
        this.access = access;
    }

    /**
     * Saves the definition. With {@code If-Match: "<revision>"} only when that revision is still the current one
     * ({@code 412} otherwise); without it, regardless. Answers the definition as saved, every default written out,
     * and its revision as {@code ETag}. Role: admin (every definition save; approval rules, people and gates are in
     * it).
     */
    @PUT
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Produces("application/yaml")
    public Uni<Response> save(@PathParam("application") String application,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, byte[] body) {
        String caller = access.require(authorization, Role.ADMIN).name();
        String yaml = checkedBody(body);
        String expected = revisionOf(ifMatch);
        return Uni.createFrom().deferred(() -> {
                    String normalised = parser.toYaml(definitions.check(yaml));
                    return Panache.withTransaction(() -> definitions.save(application, normalised, "api:" + caller,
                                    expected))
                            .map(saved -> Response.status(saved.created() ? 201 : 200).entity(normalised)
                                    .tag(etag(saved.revision())).build());
                })
                .onFailure(InvalidPipelineDefinitionException.class).transform(PipelineDefinitionResource::invalid)
                .onFailure(StaleRevisionException.class).transform(e -> new ProblemException(412,
                        "Precondition Failed", e.getMessage() + "; nothing was saved"));
    }

    /**
     * Checks the definition exactly as {@link #save} would — the same {@code 400} problem naming every fault, the
     * same role — and answers what a save would change, saving nothing and telling no one (a dry run). Role: admin.
     */
    @POST
    @Path("/validate")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<Validation> validate(@PathParam("application") String application,
                                    @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        access.require(authorization, Role.ADMIN);
        String yaml = checkedBody(body);
        return Uni.createFrom().deferred(() -> {
                    PipelineDefinition definition = definitions.validate(application, yaml);
                    String normalised = parser.toYaml(definition);
                    return definitions.findById(application).map(stored -> {
                        PipelineDefinition before = stored == null ? null : readable(stored.yaml);
                        String diff = RevisionDiff.unified(stored == null ? null : stored.yaml,
                                stored == null ? 0 : stored.revision, normalised,
                                stored == null ? 1 : stored.revision + 1);
                        return new Validation(application, true, stored == null ? 0 : stored.revision,
                                !diff.isEmpty(), normalised, diff, GateChanges.between(before, definition));
                    });
                })
                .onFailure(InvalidPipelineDefinitionException.class).transform(PipelineDefinitionResource::invalid);
    }

    /** The current definition, its revision as {@code ETag}. Role: viewer. */
    @GET
    @Produces("application/yaml")
    public Uni<Response> get(@PathParam("application") String application, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return definitions.findById(application).map(stored -> {
            if (stored == null) {
                throw ProblemException.notFound("application " + application + " has no pipeline definition");
            }
            return Response.ok(stored.yaml).tag(etag(stored.revision)).build();
        });
    }

    /**
     * The revisions, newest first: {@code limit} of them (default 20, at most 100) below revision {@code before}
     * (the newest when absent). Role: viewer.
     */
    @GET
    @Path("/revisions")
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<RevisionPage> revisions(@PathParam("application") String application,
                                       @QueryParam("limit") Integer limit, @QueryParam("before") Integer before,
                                       @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit, List.of());
        }
        if (before != null && before < 1) {
            throw ProblemException.badRequest("before must be a revision number, 1 or more, got " + before, List.of());
        }
        int size = limit == null ? DEFAULT_LIMIT : limit;
        return definitions.currentRevision(application).chain(current -> {
            if (current == 0) {
                throw ProblemException.notFound("application " + application + " has no pipeline definition");
            }
            return revisions.page(application, before == null ? Integer.MAX_VALUE : before, size).map(page -> {
                List<RevisionSummary> summaries = page.stream().map(r -> new RevisionSummary(r.revision, r.savedBy,
                        r.savedAt, r.gatesChanged())).toList();
                int last = summaries.isEmpty() ? 1 : summaries.get(summaries.size() - 1).revision();
                String next = summaries.size() == size && last > 1
                        ? "/api/v1/applications/" + application + "/pipeline/revisions?limit=" + size + "&before=" + last
                        : null;
                return new RevisionPage(summaries, next);
            });
        });
    }

    /** One revision as saved and its diff from the one before. Role: viewer. */
    @GET
    @Path("/revisions/{revision}")
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<RevisionView> revision(@PathParam("application") String application,
                                      @PathParam("revision") int number, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return revisions.of(application, number).chain(revision -> {
            if (revision == null) {
                throw ProblemException.notFound("application " + application + " has no revision " + number
                        + " of its pipeline definition");
            }
            Uni<DefinitionRevision> before = number > 1 ? revisions.of(application, number - 1)
                    : Uni.createFrom().nullItem();
            return before.map(previous -> new RevisionView(revision.revision, revision.savedBy, revision.savedAt,
                    revision.gatesChanged(), revision.yaml,
                    RevisionDiff.unified(previous == null ? null : previous.yaml, number - 1, revision.yaml, number)));
        });
    }

    private static String checkedBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("send the pipeline definition as YAML in the body", List.of());
        }
        if (body.length > PipelineDefinitionParser.MAX_BYTES) {
            throw new ProblemException(413, "Too large", "a pipeline definition may be at most "
                    + PipelineDefinitionParser.MAX_BYTES / 1024 + " KiB");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static ProblemException invalid(Throwable e) {
        return ProblemException.badRequest("the pipeline definition is invalid; nothing was saved",
                ((InvalidPipelineDefinitionException) e).messages());
    }

    // The stored text was valid when it was saved; one that no longer reads (a rule added since) counts as none.
    private PipelineDefinition readable(String yaml) {
        try {
            return definitions.parse(yaml);
        } catch (InvalidPipelineDefinitionException e) {
            return null;
        }
    }

    private static EntityTag etag(int revision) {
        return new EntityTag(Integer.toString(revision));
    }

    /** {@code "3"}, {@code W/"3"}, {@code 3} or {@code *} as the revision text; null without the header. */
    private static String revisionOf(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String text = ifMatch.trim();
        if (text.startsWith("W/")) {
            text = text.substring(2);
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        if (!text.equals("*") && !text.matches("[0-9]{1,9}")) {
            throw ProblemException.badRequest("If-Match must name a revision of the definition as its ETag shows it,"
                    + " e.g. If-Match: \"3\"; got " + ifMatch, List.of());
        }
        return text;
    }
}
