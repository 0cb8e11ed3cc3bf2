package dev.promoter.promote.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.promoter.contracts.ExternalSuitePolicy;
import dev.promoter.contracts.HttpSmokePolicy;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.kit.outbound.OutboundUrls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import dev.promoter.contracts.DeployHookPolicy;
import dev.promoter.contracts.DriftPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reads, validates and writes pipeline definitions, filling in every default and listing everything to fix. */
public final class PipelineDefinitionParser {

    /** The largest definition accepted, in bytes (256 KiB); a real one is a few KiB. */
    public static final int MAX_BYTES = 256 * 1024;

    static final String SCHEMA_RESOURCE = "schemas/pipeline-definition.v1.json";

    // Defaults; the schema's "default" annotations say the same, and a test keeps the two equal.
    static final List<String> DEFAULT_STAGES = List.of("dev", "test", "stage", "prod");
    static final List<String> DEFAULT_REQUIRED_LABELS = List.of("org.opencontainers.image.revision");
    static final boolean DEFAULT_NON_ROOT = true;
    static final long DEFAULT_MAX_SIZE_BYTES = 500L * 1024 * 1024;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final int DEFAULT_FAILURE_THRESHOLD = 3;
    static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);
    static final int DEFAULT_RETRIES = 0;
    static final String DEFAULT_HTTP_METHOD = "GET";
    static final int DEFAULT_HTTP_STATUS = 200;
    static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_HTTP_TRIES = 5;
    static final Duration DEFAULT_HTTP_BACKOFF = Duration.ofSeconds(1);
    static final List<String> DEFAULT_BRANCHES = List.of("main");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final YamlTreeReader reader = new YamlTreeReader(MAX_BYTES);
    private final JsonNode schemaTree = loadSchemaTree();
    private final JsonSchema schema = compile(schemaTree);
    private final SchemaErrors schemaErrors = new SchemaErrors(schemaTree);
    private final YAMLMapper writer = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    // With quotes minimised a label such as "123" would read back as a number.
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .build();

    /** Checks the hosts of health, smoke and deploy-hook URLs; null checks none (reading what was saved). */
    private final OutboundUrls outbound;

    /**
     * A parser that reads definitions as they were saved: it does not check outbound URLs against an allow-list,
     * so a stored definition still reads after the allow-list shrank (the probes check again when they send). Loads
     * and compiles the schema once; keep one instance and share it.
     */
    public PipelineDefinitionParser() {
        this(null);
    }

    /** A parser for definitions being saved: health, smoke and deploy-hook URLs must pass {@code outbound}. */
    public PipelineDefinitionParser(OutboundUrls outbound) {
        this.outbound = outbound;
    }

    /** Parses a definition written as YAML (or JSON) text. */
    public PipelineDefinition parse(String yaml) {
        Objects.requireNonNull(yaml, "yaml");
        return parse(yaml.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a definition from raw bytes, UTF-8 (or UTF-16 with a byte order mark), as an HTTP body arrives.
     *
     * <p>Steps: the size limit; restricted YAML reading (no anchors, aliases, tags, duplicate keys or second
     * document); the JSON Schema {@code schemas/pipeline-definition.v1.json}; then the rules a schema cannot
     * state: unique stage names, unique suite names within a stage, health timeout shorter than interval, a
     * URL {@link URI} accepts. JSON is YAML, so a JSON body parses too. The repository's last path segment
     * need not equal the application: teams name repositories their own way ({@code team-a/cart-service}
     * for application {@code shop-cart}). Safe to call from many threads at once.
     *
     * @throws InvalidPipelineDefinitionException with one message per problem, each naming its field path
     */
    public PipelineDefinition parse(byte[] yaml) {
        Objects.requireNonNull(yaml, "yaml");
        // Checked before any parsing: the limit is what keeps a hostile body cheap to refuse.
        if (yaml.length > MAX_BYTES) {
            throw new InvalidPipelineDefinitionException(List.of(Wording.at("", "is " + yaml.length
                    + " bytes, more than the " + MAX_BYTES + " bytes (256 KiB) a pipeline definition may take")));
        }
        return fromTree(reader.read(yaml));
    }

    /** The definition as YAML with every default written out; {@link #parse(String)} reads it back equal. */
    public String toYaml(PipelineDefinition definition) {
        ObjectNode root = writer.createObjectNode();
        root.put("application", definition.application());
        root.put("repository", definition.repository());
        ArrayNode stages = root.putArray("stages");
        for (StageDefinition stage : definition.stages()) {
            ObjectNode stageNode = stages.addObject();
            stageNode.put("name", stage.name());
            ArrayNode suites = stageNode.putArray("suites");
            for (SuiteDefinition suite : stage.suites()) {
                ObjectNode suiteNode = suites.addObject();
                suiteNode.put("name", suite.name());
                suiteNode.put("kind", suite.kind());
                ArrayNode labels = suiteNode.putArray("requiredLabels");
                suite.requiredLabels().forEach(labels::add);
                suiteNode.put("nonRoot", suite.nonRoot());
                suiteNode.put("maxSizeBytes", suite.maxSizeBytes());
                suiteNode.put("retries", suite.retries());
                suite.allowedPlatforms().forEach(suiteNode.putArray("allowedPlatforms")::add);
                suite.baseImageDigests().forEach(suiteNode.putArray("baseImageDigests")::add);
                writeHttp(suiteNode, suite.http());
                if (suite.external() != null) {
                    suiteNode.putObject("external").put("source", suite.external().source())
                            .put("deadline", Durations.format(suite.external().deadline()));
                }
            }
            HealthCheckDefinition health = stage.health();
            if (health != null) {
                ObjectNode healthNode = stageNode.putObject("health");
                healthNode.put("url", health.url().toString());
                healthNode.put("interval", Durations.format(health.interval()));
                healthNode.put("timeout", Durations.format(health.timeout()));
                healthNode.put("failureThreshold", health.failureThreshold());
                healthNode.put("successThreshold", health.successThreshold());
                healthNode.put("gracePeriod", Durations.format(health.gracePeriod()));
            }
            if (stage.slackChannel() != null) {
                stageNode.putObject("slack").put("channel", stage.slackChannel());
            }
            GateYaml.write(stage, stageNode);
            if (stage.deployHook() != null) {
                ObjectNode hook = stageNode.putObject("deployHook").put("url", stage.deployHook().url().toString());
                if (stage.deployHook().secret() != null) {
                    hook.put("secret", stage.deployHook().secret());
                }
            }
            stageNode.put("drift", stage.drift().wireValue());
        }
        PipelineSource source = definition.source();
        if (source != null) {
            ObjectNode sourceNode = root.putObject("source");
            if (source.github() != null) {
                sourceNode.put("github", source.github());
            }
            if (source.gitlab() != null) {
                sourceNode.put("gitlab", source.gitlab());
            }
            ArrayNode branches = sourceNode.putArray("branches");
            source.branches().forEach(branches::add);
            PipelineSource.JenkinsBuilder jenkins = source.jenkins();
            if (jenkins != null) {
                sourceNode.putObject("builder").putObject("jenkins")
                        .put("url", jenkins.url().toString())
                        .put("job", jenkins.job())
                        .put("credentials", jenkins.credentials());
            }
        }
        GateYaml.writePeople(definition.people(), root);
        try {
            return writer.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The definition an application gets when nobody wrote one: dev, test, stage, prod, no suites, no health
     * checks.
     *
     * @throws InvalidPipelineDefinitionException when the application or repository is malformed
     */
    public PipelineDefinition defaultDefinition(String application, String repository) {
        // Through the same schema as a written definition, so the same names are refused with the same words.
        ObjectNode tree = JSON.createObjectNode();
        tree.put("application", application);
        tree.put("repository", repository);
        return fromTree(tree);
    }

    private PipelineDefinition fromTree(JsonNode tree) {
        Set<ValidationMessage> findings = schema.validate(tree);
        List<String> schemaProblems = findings.isEmpty() ? List.of() : schemaErrors.messages(findings, tree);
        // The rules across fields run even when the schema found problems, so one answer lists everything to fix;
        // on a document of the wrong shape they skip what they cannot read (the schema already names it).
        List<String> problems = new ArrayList<>();
        boolean wellShaped = schemaProblems.isEmpty();
        JsonNode applicationNode = tree.path("application");
        String application = applicationNode.isTextual() ? applicationNode.textValue() : null;
        JsonNode repositoryNode = tree.path("repository");
        String repository = repositoryNode.isTextual() ? repositoryNode.textValue() : null;
        List<StageDefinition> stages = new ArrayList<>();
        JsonNode stageNodes = tree.get("stages");
        if (stageNodes == null) {
            DEFAULT_STAGES.forEach(name -> stages.add(new StageDefinition(name, List.of(), null)));
        } else {
            Map<String, String> stagePaths = new HashMap<>();
            for (int i = 0; i < stageNodes.size(); i++) {
                JsonNode stageNode = stageNodes.get(i);
                String path = Wording.index("stages", i);
                stages.add(tolerant(wellShaped, problems, () -> stage(stageNode, path, stagePaths, problems)));
            }
        }
        JsonNode sourceNode = tree.get("source");
        PipelineSource source = sourceNode == null ? null
                : tolerant(wellShaped, problems, () -> source(sourceNode, problems));
        People people = tolerant(wellShaped, problems, () -> GateYaml.people(tree, problems));
        if (stageNodes != null && people != null) {
            for (int i = 0; i < stageNodes.size(); i++) {
                StageDefinition stage = stages.get(i);
                String path = Wording.index("stages", i);
                if (stage != null) {
                    tolerant(wellShaped, problems, () -> {
                        GateYaml.checkApprovers(stage, people, path, problems);
                        return null;
                    });
                }
            }
        }
        if (!wellShaped || !problems.isEmpty()) {
            throw new InvalidPipelineDefinitionException(merge(schemaProblems, problems));
        }
        return new PipelineDefinition(application, repository, stages, source, people);
    }

    /**
     * Runs one reading step; on a document the schema refused, a step that trips over the wrong shape yields null
     * and its problem is left to the schema's messages. On a well-shaped document every failure is a bug and throws.
     */
    private static <T> T tolerant(boolean wellShaped, List<String> problems, java.util.function.Supplier<T> step) {
        if (wellShaped) {
            return step.get();
        }
        int before = problems.size();
        try {
            return step.get();
        } catch (RuntimeException e) {
            // Keep what the step found before it tripped; the rest is the schema's to tell.
            problems.subList(before, problems.size()).clear();
            return null;
        }
    }

    /**
     * The schema's messages first, then the other rules' messages about fields the schema had nothing to say about:
     * not the same field, and not a field of a mapping the schema refused a field of (a rule across fields such as
     * timeout below interval waits until both read).
     */
    private static List<String> merge(List<String> schemaProblems, List<String> problems) {
        Set<String> refused = new java.util.HashSet<>();
        for (String message : schemaProblems) {
            refused.add(pathOf(message));
            String parent = parentOf(pathOf(message));
            if (!parent.isEmpty()) {
                refused.add(parent);
            }
        }
        List<String> all = new ArrayList<>(schemaProblems);
        for (String problem : problems) {
            String path = pathOf(problem);
            if (!refused.contains(path) && !refused.contains(parentOf(path)) && !all.contains(problem)) {
                all.add(problem);
            }
        }
        return all;
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    private StageDefinition stage(JsonNode node, String path, Map<String, String> stagePaths,
            List<String> problems) {
        String name = node.get("name").textValue();
        String earlier = stagePaths.putIfAbsent(name, path);
        if (earlier != null) {
            problems.add(Wording.at(Wording.field(path, "name"), Wording.quote(name) + " is already the name of "
                    + earlier + "; stage names must be unique, each is a registry tag"));
        }
        List<SuiteDefinition> suites = new ArrayList<>();
        Map<String, String> suitePaths = new HashMap<>();
        JsonNode suiteNodes = node.path("suites");
        for (int i = 0; i < suiteNodes.size(); i++) {
            suites.add(suite(suiteNodes.get(i), Wording.index(Wording.field(path, "suites"), i), suitePaths, problems));
        }
        JsonNode healthNode = node.get("health");
        HealthCheckDefinition health = healthNode == null ? null
                : health(healthNode, Wording.field(path, "health"), problems);
        String slackChannel = node.path("slack").path("channel").textValue();
        PromotionMode promotion = "manual".equals(node.path("promotion").textValue())
                ? PromotionMode.MANUAL : PromotionMode.AUTO;
        GateDefinition gates = GateYaml.gates(node.get("gates"), Wording.field(path, "gates"), problems);
        JsonNode hookNode = node.get("deployHook");
        DeployHookPolicy deployHook = null;
        if (hookNode != null) {
            try {
                String hookPath = Wording.field(Wording.field(path, "deployHook"), "url");
                deployHook = new DeployHookPolicy(outbound(java.net.URI.create(hookNode.get("url").textValue()),
                        hookPath, problems), hookNode.path("secret").textValue());
            } catch (IllegalArgumentException e) {
                problems.add(Wording.at(Wording.field(Wording.field(path, "deployHook"), "url"),
                        "is not a usable http(s) URL: " + e.getMessage()));
            }
        }
        DriftPolicy drift = node.has("drift") ? DriftPolicy.fromWireValue(node.get("drift").textValue())
                : DriftPolicy.REPORT;
        return new StageDefinition(name, suites, health, slackChannel, promotion, gates, deployHook, drift);
    }

    private SuiteDefinition suite(JsonNode node, String path, Map<String, String> suitePaths,
            List<String> problems) {
        String name = node.get("name").textValue();
        String earlier = suitePaths.putIfAbsent(name, path);
        if (earlier != null) {
            problems.add(Wording.at(Wording.field(path, "name"), Wording.quote(name) + " is already the name of "
                    + earlier + "; suite names must be unique within a stage"));
        }
        List<String> labels = DEFAULT_REQUIRED_LABELS;
        if (node.has("requiredLabels")) {
            labels = new ArrayList<>();
            for (JsonNode label : node.get("requiredLabels")) {
                labels.add(label.textValue());
            }
        }
        String kind = node.get("kind").textValue();
        HttpSmokePolicy http = null;
        if (node.has("http")) {
            http = http(node.get("http"), Wording.field(path, "http"), problems);
            if (!SuiteDefinition.KIND_HTTP_SMOKE.equals(kind)) {
                problems.add(Wording.at(Wording.field(path, "http"), "belongs to kind http-smoke only; remove it or"
                        + " set kind: http-smoke"));
            }
        } else if (SuiteDefinition.KIND_HTTP_SMOKE.equals(kind)) {
            problems.add(Wording.at(Wording.field(path, "http"), "is required for kind http-smoke: give at least"
                    + " url and path of the request to send to the stage"));
        }
        ExternalSuitePolicy external = null;
        if (node.has("external")) {
            JsonNode externalNode = node.get("external");
            external = new ExternalSuitePolicy(externalNode.get("source").textValue(),
                    Durations.parse(externalNode.get("deadline").textValue()));
            if (!SuiteDefinition.KIND_EXTERNAL.equals(kind)) {
                problems.add(Wording.at(Wording.field(path, "external"), "belongs to kind external only; remove it or"
                        + " set kind: external"));
            }
        } else if (SuiteDefinition.KIND_EXTERNAL.equals(kind)) {
            problems.add(Wording.at(Wording.field(path, "external"), "is required for kind external: give source"
                    + " (junit or cdevents) and deadline"));
        }
        return new SuiteDefinition(
                name,
                kind,
                labels,
                node.path("nonRoot").asBoolean(DEFAULT_NON_ROOT),
                node.path("maxSizeBytes").asLong(DEFAULT_MAX_SIZE_BYTES),
                node.path("retries").asInt(DEFAULT_RETRIES),
                texts(node.get("allowedPlatforms")),
                texts(node.get("baseImageDigests")),
                http,
                external);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array != null) {
            array.forEach(element -> texts.add(element.textValue()));
        }
        return texts;
    }

    private HttpSmokePolicy http(JsonNode node, String path, List<String> problems) {
        URI url = outbound(httpUrl(node.get("url").textValue(), Wording.field(path, "url"), problems),
                Wording.field(path, "url"), problems);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        node.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().textValue()));
        Map<String, String> json = new java.util.LinkedHashMap<>();
        node.path("expectedJson").fields().forEachRemaining(e -> json.put(e.getKey(), e.getValue().textValue()));
        Duration timeout = duration(node, "timeout", DEFAULT_HTTP_TIMEOUT);
        try {
            return new HttpSmokePolicy(url, node.path("method").asText(DEFAULT_HTTP_METHOD),
                    node.get("path").textValue(), headers, node.path("expectedStatus").asInt(DEFAULT_HTTP_STATUS),
                    node.has("expectedBody") ? node.get("expectedBody").textValue() : null, json, timeout,
                    node.path("tries").asInt(DEFAULT_HTTP_TRIES), duration(node, "backoff", DEFAULT_HTTP_BACKOFF),
                    node.has("digestPath") ? node.get("digestPath").textValue() : null);
        } catch (IllegalArgumentException e) {
            problems.add(Wording.at(path, e.getMessage()));
            return null;
        }
    }

    private static void writeHttp(ObjectNode suiteNode, HttpSmokePolicy http) {
        if (http == null) {
            return;
        }
        ObjectNode node = suiteNode.putObject("http");
        node.put("url", http.url().toString());
        node.put("method", http.method());
        node.put("path", http.path());
        ObjectNode headers = node.putObject("headers");
        http.headers().forEach(headers::put);
        node.put("expectedStatus", http.expectedStatus());
        if (http.expectedBody() != null) {
            node.put("expectedBody", http.expectedBody());
        }
        ObjectNode json = node.putObject("expectedJson");
        http.expectedJson().forEach(json::put);
        node.put("timeout", Durations.format(http.timeout()));
        node.put("tries", http.tries());
        node.put("backoff", Durations.format(http.backoff()));
        if (http.digestPath() != null) {
            node.put("digestPath", http.digestPath());
        }
    }

    private HealthCheckDefinition health(JsonNode node, String path, List<String> problems) {
        URI url = outbound(httpUrl(node.get("url").textValue(), Wording.field(path, "url"), problems),
                Wording.field(path, "url"), problems);
        Duration interval = duration(node, "interval", DEFAULT_INTERVAL);
        Duration timeout = duration(node, "timeout", DEFAULT_TIMEOUT);
        // A probe that may outlast its interval would overlap the next one and blur the failure count.
        if (timeout.compareTo(interval) >= 0) {
            String intervalText = node.has("interval") ? node.get("interval").textValue() : Durations.format(interval);
            String found = node.has("timeout")
                    ? ", got " + node.get("timeout").textValue()
                    : ", and the default timeout " + Durations.format(DEFAULT_TIMEOUT) + " is not; set a shorter one";
            problems.add(Wording.at(Wording.field(path, "timeout"),
                    "must be shorter than interval (" + intervalText + ")" + found));
        }
        return new HealthCheckDefinition(
                url,
                interval,
                timeout,
                node.path("failureThreshold").asInt(DEFAULT_FAILURE_THRESHOLD),
                node.path("successThreshold").asInt(DEFAULT_SUCCESS_THRESHOLD),
                duration(node, "gracePeriod", DEFAULT_GRACE_PERIOD));
    }

    private static PipelineSource source(JsonNode node, List<String> problems) {
        List<String> branches = DEFAULT_BRANCHES;
        if (node.has("branches")) {
            branches = new ArrayList<>();
            for (JsonNode branch : node.get("branches")) {
                branches.add(branch.textValue());
            }
        }
        PipelineSource.JenkinsBuilder jenkins = null;
        JsonNode jenkinsNode = node.path("builder").get("jenkins");
        if (jenkinsNode != null) {
            URI url = httpUrl(jenkinsNode.get("url").textValue(), "source.builder.jenkins.url", problems);
            if (problems.isEmpty()) {
                jenkins = new PipelineSource.JenkinsBuilder(url, jenkinsNode.get("job").textValue(),
                        jenkinsNode.get("credentials").textValue());
            }
        }
        return new PipelineSource(node.path("github").textValue(), node.path("gitlab").textValue(), branches,
                jenkins);
    }

    private static Duration duration(JsonNode node, String field, Duration fallback) {
        return node.has(field) ? Durations.parse(node.get(field).textValue()) : fallback;
    }

    // Saving only: the host must be one the pipeline may call (pipeline.outbound.allowed).
    private URI outbound(URI url, String path, List<String> problems) {
        // A URL already refused for its form is not judged again for its host.
        if (outbound != null && problems.stream().noneMatch(problem -> pathOf(problem).equals(path))) {
            outbound.refusal(url).ifPresent(reason -> problems.add(Wording.at(path, Wording.quote(url.toString())
                    + " is refused by the outbound allow-list (pipeline.outbound.allowed): " + reason)));
        }
        return url;
    }

    private static String pathOf(String message) {
        int colon = message.indexOf(": ");
        return colon < 0 ? message : message.substring(0, colon);
    }

    // The schema's pattern only rules out the obvious; URI decides what an HTTP client will accept.
    private static URI httpUrl(String text, String path, List<String> problems) {
        String expected = "must be an absolute http or https URL with a host name";
        try {
            URI url = new URI(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
                problems.add(Wording.at(path, expected + ", got " + Wording.quote(text)));
            }
            return url;
        } catch (URISyntaxException e) {
            problems.add(Wording.at(path, expected + " (" + Wording.cut(e.getReason()) + "), got "
                    + Wording.quote(text)));
            return URI.create("http://invalid");
        }
    }

    private static JsonNode loadSchemaTree() {
        try (InputStream in = PipelineDefinitionParser.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema compile(JsonNode schemaTree) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders
                        // The schema is self-contained; fetching anything would mean a network call at start-up.
                        .add(iri -> {
                            throw new IllegalStateException("the pipeline definition schema may not load " + iri);
                        })));
        return factory.getSchema(schemaTree, SchemaValidatorsConfig.builder().build());
    }
}
