package dev.strata.processor.testing;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's deployment files (compose/, ops/), read as the tools that use them would. */
public final class RepoFiles {

    private static final ObjectMapper YAML =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Jackson's defaults are strict JSON (no comments, no trailing commas); duplicate keys fail too. */
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private RepoFiles() {
    }

    /** The repository root: the nearest directory above the working directory with compose/ and ops/. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("compose")) && Files.isDirectory(d.resolve("ops"))
                    && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root with compose/ and ops/ above " + dir);
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** The one YAML document in {@code file}. */
    public static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + docs.size() + " YAML documents, not one");
        }
        return docs.get(0);
    }

    /** Every YAML document in {@code file} ("---" separated), empty ones left out. */
    public static List<JsonNode> yamlDocuments(Path file) {
        try (var parser = YAML.createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as YAML", e);
        }
    }

    /** Strict JSON, as Grafana reads it. */
    public static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as JSON", e);
        }
    }

    public static List<Path> files(String relativeDir, String suffix) {
        try (Stream<Path> files = Files.list(path(relativeDir))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
