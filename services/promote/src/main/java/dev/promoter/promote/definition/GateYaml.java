package dev.promoter.promote.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes the gate keys of a pipeline definition (stage {@code promotion} and {@code gates}, top-level {@code people} and {@code groups}). */
final class GateYaml {

    private GateYaml() {
    }

    static GateDefinition gates(JsonNode node, String path, List<String> problems) {
        if (node == null) {
            return GateDefinition.NONE;
        }
        ApprovalDefinition approvals = null;
        JsonNode approvalNode = node.get("approvals");
        if (approvalNode != null) {
            approvals = new ApprovalDefinition(approvalNode.get("count").intValue(), texts(approvalNode.get("from")),
                    approvalNode.has("expiry") ? gateDuration(approvalNode.get("expiry").textValue()) : null);
        }
        List<FreezeWindow> freeze = new ArrayList<>();
        JsonNode windows = node.path("freeze");
        for (int i = 0; i < windows.size(); i++) {
            JsonNode window = windows.get(i);
            String zoneText = window.get("zone").textValue();
            try {
                freeze.add(FreezeWindow.of(window.get("from").textValue(), window.get("to").textValue(),
                        ZoneId.of(zoneText)));
            } catch (DateTimeException e) {
                problems.add(Wording.at(Wording.field(Wording.index(Wording.field(path, "freeze"), i), "zone"),
                        "must be an IANA time zone such as Europe/Prague or UTC, got " + Wording.quote(zoneText)));
            }
        }
        return new GateDefinition(
                node.has("soak") ? gateDuration(node.get("soak").textValue()) : null,
                approvals, freeze, node.path("hotfixLabel").textValue());
    }

    static People people(JsonNode tree, List<String> problems) {
        Map<String, People.Person> people = new LinkedHashMap<>();
        Map<String, String> claimedBy = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.path("people").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            People.Person person = new People.Person(entry.getKey(), texts(entry.getValue().get("slack")),
                    texts(entry.getValue().get("api")), texts(entry.getValue().get("git")));
            for (String identity : person.identities()) {
                String earlier = claimedBy.putIfAbsent(identity.toLowerCase(java.util.Locale.ROOT), person.name());
                if (earlier != null && !earlier.equals(person.name())) {
                    problems.add(Wording.at(Wording.field("people", person.name()), Wording.quote(identity)
                            + " is already an identity of " + earlier + "; one identity belongs to one person"));
                }
            }
            people.put(person.name(), person);
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.path("groups").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            List<String> members = texts(entry.getValue());
            for (String member : members) {
                if (!people.containsKey(member)) {
                    problems.add(Wording.at(Wording.field("groups", entry.getKey()), Wording.quote(member)
                            + " is not in people; add it there with its slack, api or git identities"));
                }
            }
            groups.put(entry.getKey(), members);
        }
        return new People(people, groups);
    }

    static void checkApprovers(StageDefinition stage, People people, String path, List<String> problems) {
        ApprovalDefinition approvals = stage.gates().approvals();
        if (approvals == null) {
            return;
        }
        String fromPath = Wording.field(Wording.field(Wording.field(path, "gates"), "approvals"), "from");
        for (String entry : approvals.from()) {
            if (entry.startsWith("@") && !people.groups().containsKey(entry.substring(1))) {
                problems.add(Wording.at(fromPath, Wording.quote(entry) + " names no group; define it under groups"));
            } else if (!entry.startsWith("@") && !entry.contains(":") && !people.people().containsKey(entry)) {
                problems.add(Wording.at(fromPath, Wording.quote(entry)
                        + " is not in people; add it there, or write a group as @name or an identity as slack:U… or api:<caller>"));
            }
        }
        if (approvals.from().isEmpty() && people.people().isEmpty()) {
            problems.add(Wording.at(fromPath, "is empty and the definition names no people, so nobody could approve;"
                    + " list approvers or add people"));
        }
    }

    static void write(StageDefinition stage, ObjectNode stageNode) {
        if (stage.promotion() != PromotionMode.AUTO) {
            stageNode.put("promotion", stage.promotion().word());
        }
        GateDefinition gates = stage.gates();
        if (gates.equals(GateDefinition.NONE)) {
            return;
        }
        ObjectNode node = stageNode.putObject("gates");
        if (gates.soak() != null) {
            node.put("soak", formatGateDuration(gates.soak()));
        }
        ApprovalDefinition approvals = gates.approvals();
        if (approvals != null) {
            ObjectNode approvalNode = node.putObject("approvals");
            approvalNode.put("count", approvals.count());
            ArrayNode from = approvalNode.putArray("from");
            approvals.from().forEach(from::add);
            if (approvals.expiry() != null) {
                approvalNode.put("expiry", formatGateDuration(approvals.expiry()));
            }
        }
        if (!gates.freeze().isEmpty()) {
            ArrayNode freeze = node.putArray("freeze");
            for (FreezeWindow window : gates.freeze()) {
                freeze.addObject()
                        .put("from", FreezeWindow.dayTime(window.fromDay(), window.from()))
                        .put("to", FreezeWindow.dayTime(window.toDay(), window.to()))
                        .put("zone", window.zone().getId());
            }
        }
        if (gates.hotfixLabel() != null) {
            node.put("hotfixLabel", gates.hotfixLabel());
        }
    }

    static void writePeople(People people, ObjectNode root) {
        if (!people.people().isEmpty()) {
            ObjectNode node = root.putObject("people");
            for (People.Person person : people.people().values()) {
                ObjectNode personNode = node.putObject(person.name());
                if (!person.slack().isEmpty()) {
                    person.slack().forEach(personNode.putArray("slack")::add);
                }
                if (!person.api().isEmpty()) {
                    person.api().forEach(personNode.putArray("api")::add);
                }
                if (!person.git().isEmpty()) {
                    person.git().forEach(personNode.putArray("git")::add);
                }
            }
        }
        if (!people.groups().isEmpty()) {
            ObjectNode node = root.putObject("groups");
            people.groups().forEach((name, members) -> members.forEach(node.putArray(name)::add));
        }
    }

    /** Gate durations also take hours and days: {@code 30m}, {@code 24h}, {@code 2d}. */
    static Duration gateDuration(String text) {
        if (text.endsWith("h") || text.endsWith("d")) {
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return text.endsWith("h") ? Duration.ofHours(amount) : Duration.ofDays(amount);
        }
        return Durations.parse(text);
    }

    static String formatGateDuration(Duration duration) {
        long seconds = duration.getSeconds();
        if (duration.getNano() == 0 && seconds > 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (duration.getNano() == 0 && seconds > 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return Durations.format(duration);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array != null) {
            array.forEach(item -> texts.add(item.textValue()));
        }
        return texts;
    }
}
