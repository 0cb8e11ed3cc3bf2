package dev.promoter.rollback.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Alertmanager webhook notification (payload version 4): a group of alerts, each firing or resolved. Only what
 * the rollback service reads is kept.
 *
 * @param receiver the Alertmanager receiver that sent it
 * @param alerts   the alerts, in the order sent
 */
public record AlertmanagerNotification(String receiver, List<Alert> alerts) {

    /** The only payload version Alertmanager has sent since 0.x; another one is refused. */
    public static final String VERSION = "4";

    /**
     * One alert.
     *
     * @param status      {@code firing} or {@code resolved}
     * @param labels      its labels; {@code alertname} names the rule
     * @param startsAt    when it started firing
     * @param fingerprint Alertmanager's id of the alert (its label set); with {@code startsAt} it names one episode
     */
    public record Alert(String status, Map<String, String> labels, Instant startsAt, String fingerprint) {

        public boolean firing() {
            return "firing".equals(status);
        }

        public String alertname() {
            return labels.getOrDefault("alertname", "(no alertname)");
        }
    }

    /** The payload does not say what is needed; {@code errors} name each place and what to fix. */
    public static final class Invalid extends Exception {

        private final List<String> errors;
        private final boolean wrongVersion;

        Invalid(List<String> errors, boolean wrongVersion) {
            super(String.join("; ", errors));
            this.errors = List.copyOf(errors);
            this.wrongVersion = wrongVersion;
        }

        public List<String> errors() {
            return errors;
        }

        /** True when the JSON is well formed but of a payload version this service does not read. */
        public boolean wrongVersion() {
            return wrongVersion;
        }
    }

    /** Reads a notification, or says everything that is wrong with it. */
    public static AlertmanagerNotification read(JsonNode root) throws Invalid {
        List<String> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new Invalid(List.of("the body must be a JSON object, the Alertmanager webhook payload"), false);
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isTextual()) {
            errors.add("version: missing; Alertmanager sends \"4\"");
        } else if (!VERSION.equals(version.textValue())) {
            throw new Invalid(List.of("version: payload version " + version.textValue() + " is not supported; only"
                    + " version \"4\" is read"), true);
        }
        JsonNode receiver = root.get("receiver");
        JsonNode alertsNode = root.get("alerts");
        List<Alert> alerts = new ArrayList<>();
        if (alertsNode == null || !alertsNode.isArray()) {
            errors.add("alerts: missing; an array of alerts is expected");
        } else {
            for (int i = 0; i < alertsNode.size(); i++) {
                Alert alert = alert(alertsNode.get(i), "alerts[" + i + "]", errors);
                if (alert != null) {
                    alerts.add(alert);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors, false);
        }
        return new AlertmanagerNotification(receiver != null && receiver.isTextual() ? receiver.textValue() : null,
                List.copyOf(alerts));
    }

    private static Alert alert(JsonNode node, String at, List<String> errors) {
        if (node == null || !node.isObject()) {
            errors.add(at + ": must be an object");
            return null;
        }
        int before = errors.size();
        String status = text(node, "status");
        if (!"firing".equals(status) && !"resolved".equals(status)) {
            errors.add(at + ".status: must be \"firing\" or \"resolved\"");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode labelsNode = node.get("labels");
        if (labelsNode == null || !labelsNode.isObject()) {
            errors.add(at + ".labels: missing; an object of label names to values is expected");
        } else {
            labelsNode.fields().forEachRemaining(field -> {
                if (field.getValue().isTextual()) {
                    labels.put(field.getKey(), field.getValue().textValue());
                } else {
                    errors.add(at + ".labels." + field.getKey() + ": must be a string");
                }
            });
        }
        Instant startsAt = null;
        String startsAtText = text(node, "startsAt");
        if (startsAtText == null) {
            errors.add(at + ".startsAt: missing; an RFC 3339 time is expected");
        } else {
            try {
                startsAt = Instant.parse(startsAtText);
            } catch (DateTimeParseException e) {
                errors.add(at + ".startsAt: " + startsAtText + " is not an RFC 3339 time");
            }
        }
        String fingerprint = text(node, "fingerprint");
        if (fingerprint == null || fingerprint.isBlank()) {
            errors.add(at + ".fingerprint: missing; Alertmanager sends one per alert");
        } else if (fingerprint.length() > 64) {
            errors.add(at + ".fingerprint: at most 64 characters");
        }
        return errors.size() == before ? new Alert(status, Map.copyOf(labels), startsAt, fingerprint) : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
