package dev.promoter.testinfra;

import dev.promoter.contracts.Topic;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What a service's component test needs around it, wired to the test class's own topics and the
 * shared registry: a writer playing the other services, readers of its topics, and the registry
 * asked directly. Open it per test and close it after.
 */
public final class PipelineFixture implements AutoCloseable {

    private final String bootstrap;
    private final String topicPrefix;
    private final String registryAddress;
    private final RegistryClient registry;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TopicWriter writer;

    private PipelineFixture(String bootstrap, String topicPrefix, String registryAddress) {
        this.bootstrap = bootstrap;
        this.topicPrefix = topicPrefix;
        this.registryAddress = registryAddress;
        this.registry = RegistryClient.forRegistry(registryAddress, RegistryCredentials.anonymous());
    }

    /** Reads the addresses RealInfrastructure gave the running test application. */
    public static PipelineFixture open() {
        var config = ConfigProvider.getConfig();
        return new PipelineFixture(config.getValue("kafka.bootstrap.servers", String.class),
                config.getOptionalValue("pipeline.topic-prefix", String.class).orElse(""),
                config.getValue("pipeline.registry.address", String.class));
    }

    public synchronized TopicWriter writer() {
        if (writer == null) {
            writer = new TopicWriter(bootstrap, topicPrefix);
            opened.add(writer);
        }
        return writer;
    }

    /** A reader of the topic from its beginning. */
    public TopicReader reader(Topic topic) {
        TopicReader reader = new TopicReader(bootstrap, topicPrefix + topic.name());
        opened.add(reader);
        return reader;
    }

    /** A reader of the consumer's dead-letter topic for the topic. */
    public TopicReader deadLetters(Topic topic, String consumer) {
        TopicReader reader = new TopicReader(bootstrap, topicPrefix + topic.deadLetterTopic(consumer));
        opened.add(reader);
        return reader;
    }

    public RegistryClient registry() {
        return registry;
    }

    /** host:port of the registry, as repositories name it. */
    public String registryAddress() {
        return registryAddress;
    }

    /** The full repository name of a path in the registry, e.g. {@code 127.0.0.1:5000/shop/cart}. */
    public String repository(String path) {
        return registryAddress + "/" + path;
    }

    /** A builder of a tiny real image, pushed to this registry. */
    public ImageBuilder image() {
        return new ImageBuilder(registry);
    }

    /** The digest a tag points at, asked of the registry itself. */
    public Optional<String> tag(String repositoryPath, String tag) {
        return registry.head(repositoryPath, tag).map(ManifestRef::digest);
    }

    @Override
    public void close() {
        for (AutoCloseable resource : opened) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
