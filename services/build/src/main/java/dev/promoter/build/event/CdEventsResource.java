package dev.promoter.build.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.build.webhook.Intake;
import dev.promoter.build.webhook.Payloads;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.cloudevents.HttpCloudEvent;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code POST /api/v1/events}: CDEvents over the CloudEvents HTTP binding, binary mode ({@code ce-*} headers, the
 * CDEvent as an {@code application/json} body) or structured mode ({@code application/cloudevents+json}, the
 * CDEvent in {@code data} or {@code data_base64}), read by {@link HttpCloudEvent}. {@code artifact.packaged}
 * and {@code artifact.published} become artifacts; other types are answered 202 "ignored".
 * Role: reporter, as for build reports; each CloudEvent id is applied once.
 */
@Path("/api/v1/events")
public class CdEventsResource {

    static final String SOURCE = "cdevents";

    private final Intake intake;
    private final Access access;

    CdEventsResource(Intake intake, Access access) {
        this.intake = intake;
        this.access = access;
    }

    /** Role: reporter. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @Context HttpHeaders headers, byte[] body) {
        String caller = access.require(authorization, Role.REPORTER).name();
        HttpCloudEvent event = HttpCloudEvent.read(headers, body);
        return intake.unlessSeen(SOURCE, event.id(), () -> artifact(event, caller));
    }

    private Uni<Response> artifact(HttpCloudEvent event, String caller) {
        String type = event.type();
        if (!type.startsWith("dev.cdevents.artifact.packaged.") && !type.startsWith("dev.cdevents.artifact.published.")) {
            return Uni.createFrom().item(Response.accepted(new IgnoredReceipt("ignored", "CDEvent type "
                    + type + " is not one the build service acts on (artifact.packaged, artifact.published)")).build());
        }
        JsonNode cdevent = event.data();
        String subjectId = Payloads.text(cdevent, "/subject/id");
        if (subjectId == null) {
            throw ProblemException.badRequest("the CDEvent has no subject.id; for an artifact it is the image's"
                    + " package URL, pkg:oci/<name>@sha256%3A<hex>?repository_url=<registry>/<path>", List.of());
        }
        OciPurl purl = OciPurl.parse(subjectId);
        String author = Payloads.text(cdevent, "/subject/content/user");
        String commit = Payloads.text(cdevent, "/subject/content/change/id");
        return intake.artifact(SOURCE, event.id(), type, purl.repository(), purl.digest(), commit, null,
                author == null ? caller : author);
    }

    /** The answer to an event of a type this service does not act on. */
    public record IgnoredReceipt(String status, String detail) {
    }
}
