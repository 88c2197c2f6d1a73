package dev.strata.processor.testing;

import dev.strata.processor.demo.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Kafka cluster (one broker) for a test class: started before the class's own
 * {@code @BeforeAll} methods, closed and its logs deleted after its last test.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final InProcessKafka broker = new InProcessKafka();
 * </pre>
 */
public final class InProcessKafka implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private EmbeddedKafka kafka;
    private BrokerHarness harness;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("strata-it-kafka");
        kafka = EmbeddedKafka.start(1, dir);
        harness = new BrokerHarness(kafka);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            deleteTree(dir);
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public BrokerHarness harness() {
        return harness;
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
