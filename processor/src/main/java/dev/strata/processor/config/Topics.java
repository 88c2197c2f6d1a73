package dev.strata.processor.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The topics Strata reads and writes ({@code strata.topics}). */
public record Topics(String frames, String labels, String features, String dlq, String events) {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    static Topics parse(Settings s) {
        Map<String, String> byPath = new LinkedHashMap<>();
        for (String name : new String[] {"frames", "labels", "features", "dlq", "events"}) {
            String path = "strata.topics." + name;
            String topic = s.string(path);
            if (!LEGAL.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw s.invalid(path, "a topic name has 1 to 249 letters, digits, '.', '_' or '-', and is not '.' "
                        + "or '..'");
            }
            byPath.put(path, topic);
        }
        // Reading and writing one topic would feed outputs back in as frames.
        Map<String, String> seen = new HashMap<>();
        byPath.forEach((path, topic) -> {
            String other = seen.putIfAbsent(topic, path);
            if (other != null) {
                throw s.invalid(path, "the same topic as " + other + "; every topic must be different");
            }
        });
        return new Topics(byPath.get("strata.topics.frames"), byPath.get("strata.topics.labels"),
                byPath.get("strata.topics.features"), byPath.get("strata.topics.dlq"),
                byPath.get("strata.topics.events"));
    }
}
