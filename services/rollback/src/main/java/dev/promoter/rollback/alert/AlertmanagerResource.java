package dev.promoter.rollback.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.kit.auth.BearerTokens;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.rollback.config.RollbackConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /webhooks/alertmanager}: Prometheus Alertmanager's webhook receiver (payload version 4). A firing alert
 * whose labels name an application and stage is a failed health verdict on the digest the stage runs.
 */
@Path("/webhooks/alertmanager")
public class AlertmanagerResource {

    /** Largest notification accepted; Alertmanager's {@code max_alerts} keeps bigger groups out. */
    static final int MAX_BYTES = 256 * 1024;

    private final AlertService alerts;
    private final BearerTokens tokens;
    private final String applicationLabel;
    private final String stageLabel;
    private final ObjectMapper mapper;

    AlertmanagerResource(AlertService alerts, RollbackConfig config, ObjectMapper mapper) {
        this.alerts = alerts;
        this.tokens = new BearerTokens(config.alertmanager().token().filter(t -> !t.isBlank())
                .map(token -> Map.of("alertmanager", token)).orElse(Map.of()));
        this.applicationLabel = config.alertmanager().applicationLabel();
        this.stageLabel = config.alertmanager().stageLabel();
        this.mapper = mapper;
    }

    /**
     * The answer: what became of each alert.
     *
     * @param alerts one entry per alert, in the order sent
     */
    public record AlertmanagerResponse(List<AlertService.AlertOutcome> alerts) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AlertmanagerResponse> receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                             byte[] body) {
        tokens.require(authorization);
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("send the Alertmanager webhook payload (version 4) as JSON; nothing was"
                    + " changed", List.of());
        }
        if (body.length > MAX_BYTES) {
            throw new ProblemException(413, "Too large", "an Alertmanager notification may be at most "
                    + MAX_BYTES / 1024 + " KiB; set max_alerts in the webhook_config; nothing was changed");
        }
        AlertmanagerNotification notification;
        try {
            JsonNode root = mapper.readTree(body);
            notification = AlertmanagerNotification.read(root);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")
                    + "; nothing was changed", List.of());
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("the body could not be read; nothing was changed", List.of());
        } catch (AlertmanagerNotification.Invalid e) {
            if (e.wrongVersion()) {
                throw new ProblemException(422, "Unprocessable Content", e.errors().get(0) + "; nothing was changed",
                        e.errors());
            }
            throw ProblemException.badRequest("the Alertmanager payload is invalid; nothing was changed", e.errors());
        }
        return alerts.handle(notification, applicationLabel, stageLabel).map(AlertmanagerResponse::new);
    }
}
