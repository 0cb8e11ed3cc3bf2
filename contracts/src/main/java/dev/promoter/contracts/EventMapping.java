package dev.promoter.contracts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How one event record maps onto a CDEvent: its CDEvents {@code subject.content}, and its {@code customData},
 * which holds the whole record so that a consumer reads it back without parsing purls or subject ids.
 *
 * @param eventClass the record
 * @param type       its CDEvents type
 * @param content    writes {@code subject.content}
 * @param customData writes {@code customData}
 * @param reader     reads the record back from {@code customData}
 */
record EventMapping<E extends PipelineEvent>(
        Class<E> eventClass,
        String type,
        BiConsumer<E, ObjectNode> content,
        BiConsumer<E, ObjectNode> customData,
        Function<Fields, E> reader) {

    static final List<EventMapping<?>> ALL = List.of(
            new EventMapping<>(ArtifactPublished.class, ArtifactPublished.TYPE,
                    (event, content) -> putIfPresent(content, "user", event.author()),
                    (event, data) -> {
                        data.put("application", event.application());
                        data.put("repository", event.repository());
                        data.put("digest", event.digest().value());
                        putIfPresent(data, "commit", event.commit());
                        putIfPresent(data, "commitTime", event.commitTime() == null ? null : event.commitTime().toString());
                        putIfPresent(data, "buildUrl", event.buildUrl());
                        putIfPresent(data, "author", event.author());
                    },
                    data -> new ArtifactPublished(data.text("application"), data.text("repository"),
                            data.digest("digest"), data.optionalText("commit"), data.optionalText("buildUrl"),
                            data.optionalText("author"), data.optionalInstant("commitTime"))),

            new EventMapping<>(TestSuiteRunFinished.class, TestSuiteRunFinished.TYPE,
                    (event, content) -> {
                        content.put("outcome", event.outcome().wireValue());
                        content.putObject("environment").put("id", event.stage());
                        content.putObject("testSuite").put("id", event.suite()).put("name", event.suite());
                        putIfPresent(content, "reason", event.reason());
                    },
                    (event, data) -> {
                        data.put("application", event.application());
                        data.put("digest", event.digest().value());
                        data.put("stage", event.stage());
                        data.put("suite", event.suite());
                        data.put("attempt", event.attempt());
                        data.put("outcome", event.outcome().wireValue());
                        putIfPresent(data, "reason", event.reason());
                    },
                    data -> new TestSuiteRunFinished(data.text("application"), data.digest("digest"),
                            data.text("stage"), data.text("suite"), data.integer("attempt"),
                            TestSuiteRunFinished.Outcome.fromWireValue(data.text("outcome")),
                            data.optionalText("reason"))),

            new EventMapping<>(ServiceDeployed.class, ServiceDeployed.TYPE,
                    (event, content) -> serviceContent(content, event.stage(), event.artifactId()),
                    (event, data) -> {
                        serviceData(data, event.application(), event.repository(), event.stage(), event.digest());
                        putIfPresent(data, "reason", event.reason());
                        putIfPresent(data, "actor", event.actor());
                        putPolicy(data, event.policy());
                    },
                    data -> new ServiceDeployed(data.text("application"), data.text("repository"),
                            data.text("stage"), data.digest("digest"), data.optionalDigest("previousDigest"),
                            data.optionalText("reason"), data.optionalText("actor"), readPolicy(data))),

            new EventMapping<>(ServiceUpgraded.class, ServiceUpgraded.TYPE,
                    (event, content) -> serviceContent(content, event.stage(), event.artifactId()),
                    (event, data) -> {
                        serviceData(data, event.application(), event.repository(), event.stage(), event.digest());
                        data.put("previousDigest", event.previousDigest().value());
                        putIfPresent(data, "reason", event.reason());
                        putIfPresent(data, "actor", event.actor());
                        putPolicy(data, event.policy());
                    },
                    data -> new ServiceUpgraded(data.text("application"), data.text("repository"),
                            data.text("stage"), data.digest("digest"), data.digest("previousDigest"),
                            data.optionalText("reason"), data.optionalText("actor"), readPolicy(data))),

            new EventMapping<>(ServiceRolledBack.class, ServiceRolledBack.TYPE,
                    (event, content) -> serviceContent(content, event.stage(), event.artifactId()),
                    (event, data) -> {
                        serviceData(data, event.application(), event.repository(), event.stage(), event.digest());
                        data.put("rolledBackDigest", event.rolledBackDigest().value());
                        data.put("reason", event.reason());
                        putIfPresent(data, "evidence", event.evidence());
                    },
                    data -> new ServiceRolledBack(data.text("application"), data.text("repository"),
                            data.text("stage"), data.digest("digest"), data.digest("rolledBackDigest"),
                            data.text("reason"), data.optionalText("evidence"))),

            new EventMapping<>(ArtifactQuarantined.class, ArtifactQuarantined.TYPE,
                    (event, content) -> content.put("stage", event.stage()).put("reason", event.reason()),
                    (event, data) -> {
                        serviceData(data, event.application(), event.repository(), event.stage(), event.digest());
                        data.put("reason", event.reason());
                    },
                    data -> new ArtifactQuarantined(data.text("application"), data.text("repository"),
                            data.text("stage"), data.digest("digest"), data.text("reason"))),

            new EventMapping<>(PipelineDefined.class, PipelineDefined.TYPE,
                    (event, content) -> {
                        content.put("repository", event.repository());
                        event.stages().forEach(content.putArray("stages")::add);
                    },
                    (event, data) -> {
                        data.put("application", event.application());
                        data.put("repository", event.repository());
                        event.stages().forEach(data.putArray("stages")::add);
                        if (event.source() != null) {
                            putSource(data.putObject("source"), event.source());
                        }
                        if (event.revision() != null) {
                            data.put("revision", event.revision());
                        }
                        putIfPresent(data, "savedBy", event.savedBy());
                        if (!event.gatesChanged().isEmpty()) {
                            event.gatesChanged().forEach(data.putArray("gatesChanged")::add);
                        }
                    },
                    data -> {
                        int revision = data.optionalInteger("revision", 0);
                        return new PipelineDefined(data.text("application"), data.text("repository"),
                                data.texts("stages"), readSource(data.optionalObject("source")),
                                revision == 0 ? null : revision, data.optionalText("savedBy"),
                                data.optionalTexts("gatesChanged"));
                    }),

            new EventMapping<>(ServiceHealthy.class, ServiceHealthy.TYPE,
                    (event, content) -> content.put("stage", event.stage()),
                    (event, data) -> serviceData(data, event.application(), event.repository(), event.stage(),
                            event.digest()),
                    data -> new ServiceHealthy(data.text("application"), data.text("repository"),
                            data.text("stage"), data.digest("digest"))),

            new EventMapping<>(ArtifactUnquarantined.class, ArtifactUnquarantined.TYPE,
                    (event, content) -> content.put("stage", event.stage()).put("reason", event.reason())
                            .put("liftedBy", event.liftedBy()),
                    (event, data) -> {
                        serviceData(data, event.application(), event.repository(), event.stage(), event.digest());
                        data.put("reason", event.reason());
                        data.put("liftedBy", event.liftedBy());
                    },
                    data -> new ArtifactUnquarantined(data.text("application"), data.text("repository"),
                            data.text("stage"), data.digest("digest"), data.text("reason"), data.text("liftedBy"))),

            new EventMapping<>(StageDrifted.class, StageDrifted.TYPE,
                    (event, content) -> {
                        content.put("stage", event.stage()).put("recordedDigest", event.recordedDigest().value());
                        putIfPresent(content, "foundDigest", event.foundDigest() == null ? null
                                : event.foundDigest().value());
                        content.put("restored", event.restored());
                    },
                    (event, data) -> {
                        data.put("application", event.application());
                        data.put("repository", event.repository());
                        data.put("stage", event.stage());
                        data.put("recordedDigest", event.recordedDigest().value());
                        putIfPresent(data, "foundDigest", event.foundDigest() == null ? null
                                : event.foundDigest().value());
                        data.put("restored", event.restored());
                    },
                    data -> new StageDrifted(data.text("application"), data.text("repository"), data.text("stage"),
                            data.digest("recordedDigest"), data.optionalDigest("foundDigest"), data.bool("restored"))),

            new EventMapping<>(RollbackHeld.class, RollbackHeld.TYPE,
                    (event, content) -> content.put("stage", event.stage()).put("reason", event.reason())
                            .put("evidence", event.evidence()),
                    (event, data) -> {
                        serviceData(data, event.application(), event.repository(), event.stage(), event.digest());
                        data.put("reason", event.reason());
                        data.put("evidence", event.evidence());
                    },
                    data -> new RollbackHeld(data.text("application"), data.text("repository"), data.text("stage"),
                            data.digest("digest"), data.text("reason"), data.text("evidence"))));

    private static void putSource(ObjectNode node, PipelineSource source) {
        putIfPresent(node, "github", source.github());
        putIfPresent(node, "gitlab", source.gitlab());
        source.branches().forEach(node.putArray("branches")::add);
        PipelineSource.JenkinsBuilder jenkins = source.jenkins();
        if (jenkins != null) {
            node.putObject("jenkins").put("url", jenkins.url().toString()).put("job", jenkins.job())
                    .put("credentials", jenkins.credentials());
        }
    }

    private static PipelineSource readSource(Fields source) {
        if (source == null) {
            return null;
        }
        Fields jenkins = source.optionalObject("jenkins");
        PipelineSource.JenkinsBuilder builder = jenkins == null ? null : jenkins.build(() ->
                new PipelineSource.JenkinsBuilder(Require.httpUrl(jenkins.text("url"), "url"), jenkins.text("job"),
                        jenkins.text("credentials")));
        return source.build(() -> new PipelineSource(source.optionalText("github"), source.optionalText("gitlab"),
                source.texts("branches"), builder));
    }

    private static void serviceContent(ObjectNode content, String stage, ArtifactId artifactId) {
        content.putObject("environment").put("id", stage);
        content.put("artifactId", artifactId.purl());
    }

    private static void serviceData(ObjectNode data, String application, String repository, String stage,
                                    Digest digest) {
        data.put("application", application);
        data.put("repository", repository);
        data.put("stage", stage);
        data.put("digest", digest.value());
    }

    private static void putPolicy(ObjectNode data, StagePolicy policy) {
        ObjectNode node = data.putObject("policy");
        ArrayNode suites = node.putArray("suites");
        for (SuitePolicy suite : policy.suites()) {
            ObjectNode entry = suites.addObject();
            entry.put("name", suite.name());
            entry.put("kind", suite.kind());
            suite.requiredLabels().forEach(entry.putArray("requiredLabels")::add);
            entry.put("nonRoot", suite.nonRoot());
            entry.put("maxSizeBytes", suite.maxSizeBytes());
            entry.put("retries", suite.retries());
            suite.allowedPlatforms().forEach(entry.putArray("allowedPlatforms")::add);
            ArrayNode bases = entry.putArray("baseImageDigests");
            suite.baseImageDigests().forEach(digest -> bases.add(digest.value()));
            putHttp(entry, suite.http());
            putExternal(entry, suite.external());
        }
        HealthCheckPolicy health = policy.health();
        if (health != null) {
            node.putObject("health")
                    .put("url", health.url().toString())
                    .put("intervalMs", health.interval().toMillis())
                    .put("timeoutMs", health.timeout().toMillis())
                    .put("failureThreshold", health.failureThreshold())
                    .put("successThreshold", health.successThreshold())
                    .put("gracePeriodMs", health.gracePeriod().toMillis());
        }
        putIfPresent(node, "slackChannel", policy.slackChannel());
        DeployHookPolicy hook = policy.deployHook();
        if (hook != null) {
            ObjectNode hookNode = node.putObject("deployHook").put("url", hook.url().toString());
            putIfPresent(hookNode, "secret", hook.secret());
        }
        // Written only when it is not the default, so events of stages without it stay as they were.
        if (policy.drift() != DriftPolicy.REPORT) {
            node.put("drift", policy.drift().wireValue());
        }
    }

    // Each part is built on its own, so a rejected value is named by its place, e.g. policy.suites[1].kind.
    private static StagePolicy readPolicy(Fields data) {
        Fields policy = data.object("policy");
        List<SuitePolicy> suites = policy.objects("suites").stream().map(EventMapping::readSuite).toList();
        Fields health = policy.optionalObject("health");
        HealthCheckPolicy healthCheck = health == null ? null : readHealth(health);
        String slackChannel = policy.optionalText("slackChannel");
        Fields hook = policy.optionalObject("deployHook");
        DeployHookPolicy deployHook = hook == null ? null : hook.build(() -> new DeployHookPolicy(
                Require.httpUrl(hook.text("url"), "url"), hook.optionalText("secret")));
        String drift = policy.optionalText("drift");
        return policy.build(() -> new StagePolicy(suites, healthCheck, slackChannel, deployHook,
                drift == null ? DriftPolicy.REPORT : DriftPolicy.fromWireValue(drift)));
    }

    private static void putHttp(ObjectNode entry, HttpSmokePolicy http) {
        if (http == null) {
            return;
        }
        ObjectNode node = entry.putObject("http");
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
        node.put("timeoutMs", http.timeout().toMillis());
        node.put("tries", http.tries());
        node.put("backoffMs", http.backoff().toMillis());
        if (http.digestPath() != null) {
            node.put("digestPath", http.digestPath());
        }
    }

    private static void putExternal(ObjectNode entry, ExternalSuitePolicy external) {
        if (external != null) {
            entry.putObject("external").put("source", external.source())
                    .put("deadlineMs", external.deadline().toMillis());
        }
    }

    // retries, allowedPlatforms, baseImageDigests, http and external came with the second version of the suite
    // policy: a policy written before reads with their defaults.
    private static SuitePolicy readSuite(Fields suite) {
        Fields httpFields = suite.optionalObject("http");
        HttpSmokePolicy http = httpFields == null ? null : readHttp(httpFields);
        Fields externalFields = suite.optionalObject("external");
        ExternalSuitePolicy external = externalFields == null ? null : externalFields.build(() ->
                new ExternalSuitePolicy(externalFields.text("source"),
                        Duration.ofMillis(externalFields.longInteger("deadlineMs"))));
        return suite.build(() -> new SuitePolicy(suite.text("name"), suite.text("kind"),
                suite.texts("requiredLabels"), suite.bool("nonRoot"), suite.longInteger("maxSizeBytes"),
                suite.optionalInteger("retries", 0), suite.optionalTexts("allowedPlatforms"),
                suite.optionalTexts("baseImageDigests").stream().map(Digest::parse).toList(), http, external));
    }

    private static HttpSmokePolicy readHttp(Fields http) {
        return http.build(() -> new HttpSmokePolicy(Require.httpUrl(http.text("url"), "url"), http.text("method"),
                http.text("path"), http.textMap("headers"), http.integer("expectedStatus"),
                http.optionalText("expectedBody"), http.textMap("expectedJson"),
                Duration.ofMillis(http.longInteger("timeoutMs")), http.integer("tries"),
                Duration.ofMillis(http.longInteger("backoffMs")), http.optionalText("digestPath")));
    }

    private static HealthCheckPolicy readHealth(Fields health) {
        return health.build(() -> new HealthCheckPolicy(Require.httpUrl(health.text("url"), "url"),
                Duration.ofMillis(health.longInteger("intervalMs")), Duration.ofMillis(health.longInteger("timeoutMs")),
                health.integer("failureThreshold"), health.integer("successThreshold"),
                Duration.ofMillis(health.longInteger("gracePeriodMs"))));
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
