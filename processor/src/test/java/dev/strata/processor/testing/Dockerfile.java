package dev.strata.processor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile that the deployment tests check: base images (with ARG
 * defaults substituted), stage names, COPY sources, the final WORKDIR and ENV, EXPOSE, ENTRYPOINT
 * and CMD in exec form. Line continuations and comments are handled as Docker does.
 */
public record Dockerfile(List<String> baseImages, List<String> stages, List<Copy> copies, String workdir,
                         Map<String, String> finalEnv, List<Integer> exposed, List<String> entrypoint,
                         List<String> cmd, String text) {

    /** A COPY: its sources (relative to the build context, or to stage {@code fromStage}). */
    public record Copy(List<String> sources, String destination, String fromStage) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    public static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && current.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                instructions.add(current.append(trimmed).toString().strip());
                current.setLength(0);
            }
        }
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> bases = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        List<Copy> copies = new ArrayList<>();
        List<Integer> exposed = new ArrayList<>();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        String workdir = "/";
        for (String instruction : instructions) {
            String[] parts = instruction.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String rest = parts.length > 1 ? parts[1] : "";
            switch (keyword) {
                case "ARG" -> {
                    String[] kv = rest.split("=", 2);
                    args.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                case "FROM" -> {
                    String[] words = rest.split("\\s+");
                    bases.add(substitute(words[0], args));
                    stages.add(words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : "");
                    env.clear();
                    workdir = "/";
                }
                case "ENV" -> {
                    Matcher m = ENV_PAIR.matcher(rest);
                    while (m.find()) {
                        String value = m.group(2);
                        if (value.startsWith("\"")) {
                            value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                        }
                        env.put(m.group(1), substitute(value, env));
                    }
                }
                case "COPY" -> {
                    List<String> words = new ArrayList<>(Arrays.asList(rest.split("\\s+")));
                    String from = null;
                    while (words.get(0).startsWith("--")) {
                        String flag = words.remove(0);
                        if (flag.startsWith("--from=")) {
                            from = flag.substring("--from=".length());
                        }
                    }
                    copies.add(new Copy(List.copyOf(words.subList(0, words.size() - 1)),
                            words.get(words.size() - 1), from));
                }
                case "WORKDIR" -> workdir = rest;
                case "EXPOSE" -> Arrays.stream(rest.split("\\s+"))
                        .forEach(p -> exposed.add(Integer.parseInt(p.replace("/tcp", ""))));
                case "ENTRYPOINT" -> entrypoint = execForm(rest, file);
                case "CMD" -> cmd = execForm(rest, file);
                default -> {
                    // RUN, USER, ...: read from text() where a test needs them.
                }
            }
        }
        return new Dockerfile(bases, stages, copies, workdir, Map.copyOf(env), exposed, entrypoint, cmd,
                String.join("\n", lines));
    }

    private static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        return m.appendTail(out).toString();
    }

    private static List<String> execForm(String json, Path file) {
        try {
            JsonNode array = new ObjectMapper().readTree(json);
            if (!array.isArray()) {
                throw new IllegalArgumentException(file + ": ENTRYPOINT/CMD not in exec form: " + json);
            }
            List<String> words = new ArrayList<>();
            array.forEach(w -> words.add(w.asText()));
            return words;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": ENTRYPOINT/CMD not in exec form: " + json, e);
        }
    }
}
