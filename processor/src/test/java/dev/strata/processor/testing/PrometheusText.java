package dev.strata.processor.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests that scrape
 * {@code /metrics}. No well-kept Java parser of the format exists (the Prometheus Java client only
 * writes it), so this one checks what Prometheus itself would reject, and a little more: names and
 * label syntax, escapes, one TYPE per family before its samples, each family's samples in one
 * group, no duplicate series, histogram buckets cumulative with {@code +Inf} equal to
 * {@code _count}.
 */
public final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its TYPE, HELP and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    /** A parsed scrape, families in the order they appeared. */
    public record Scrape(Map<String, Family> families) {

        /** The family a sample name belongs to ({@code x_bucket} -> histogram {@code x}), if any. */
        public Optional<Family> familyOfSample(String sampleName) {
            for (Family family : families.values()) {
                if (family.samples().stream().anyMatch(s -> s.name().equals(sampleName))) {
                    return Optional.of(family);
                }
            }
            return Optional.empty();
        }

        /** Every sample named {@code name}, across families. */
        public List<Sample> samples(String name) {
            return families.values().stream().flatMap(f -> f.samples().stream())
                    .filter(s -> s.name().equals(name)).toList();
        }

        /** The value of the one sample named {@code name} whose labels include {@code labels}. */
        public double value(String name, Map<String, String> labels) {
            List<Sample> matching = samples(name).stream()
                    .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
            if (matching.size() != 1) {
                throw new AssertionError(matching.size() + " samples " + name + labels + " in the scrape, not one: "
                        + matching);
            }
            return matching.get(0).value();
        }

        public double value(String name) {
            return value(name, Map.of());
        }

        /** The sum of every sample named {@code name}, whatever its labels; 0 when there is none. */
        public double sum(String name) {
            return samples(name).stream().mapToDouble(Sample::value).sum();
        }

        public Set<String> sampleNames() {
            Set<String> names = new HashSet<>();
            families.values().forEach(f -> f.samples().forEach(s -> names.add(s.name())));
            return names;
        }
    }

    private PrometheusText() {
    }

    /** @throws IllegalArgumentException naming the line that breaks the format */
    public static Scrape parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> closedFamilies = new HashSet<>();
        Set<String> seriesSeen = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            try {
                if (line.isBlank()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    String[] parts = line.split(" ", 4);
                    if (parts.length >= 3 && (parts[1].equals("TYPE") || parts[1].equals("HELP"))) {
                        String name = requireName(parts[2]);
                        if (parts[1].equals("TYPE")) {
                            String type = parts.length == 4 ? parts[3] : "";
                            if (!TYPES.contains(type)) {
                                throw new IllegalArgumentException("unknown type '" + type + "'");
                            }
                            if (types.putIfAbsent(name, type) != null) {
                                throw new IllegalArgumentException("second TYPE line for " + name);
                            }
                            if (samples.containsKey(name)) {
                                throw new IllegalArgumentException("TYPE of " + name + " after its samples");
                            }
                        } else if (helps.putIfAbsent(name, unescapeHelp(parts.length == 4 ? parts[3] : "")) != null) {
                            throw new IllegalArgumentException("second HELP line for " + name);
                        }
                    }
                    continue;
                }
                Sample sample = parseSample(line);
                String family = familyOf(sample.name(), types);
                if (!family.equals(currentFamily)) {
                    if (closedFamilies.contains(family)) {
                        throw new IllegalArgumentException("samples of " + family + " are not in one group");
                    }
                    if (currentFamily != null) {
                        closedFamilies.add(currentFamily);
                    }
                    currentFamily = family;
                }
                if (!seriesSeen.add(sample.name() + new TreeMap<>(sample.labels()))) {
                    throw new IllegalArgumentException("duplicate series " + sample.name() + sample.labels());
                }
                samples.computeIfAbsent(family, k -> new ArrayList<>()).add(sample);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNo + " '" + line + "': " + e.getMessage(), e);
            }
        }
        Map<String, Family> families = new LinkedHashMap<>();
        for (Map.Entry<String, List<Sample>> entry : samples.entrySet()) {
            String name = entry.getKey();
            Family family = new Family(name, types.getOrDefault(name, "untyped"), helps.getOrDefault(name, ""),
                    List.copyOf(entry.getValue()));
            if (family.type().equals("histogram")) {
                checkHistogram(family);
            }
            families.put(name, family);
        }
        return new Scrape(Collections.unmodifiableMap(families));
    }

    /** The family a sample belongs to: a histogram's or summary's suffixed samples go to the base name. */
    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        String type = types.get(sampleName);
        if ("histogram".equals(type)) {
            throw new IllegalArgumentException("histogram " + sampleName + " sampled without a suffix");
        }
        return sampleName;
    }

    private static void checkHistogram(Family family) {
        Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : family.samples()) {
            Map<String, String> series = new TreeMap<>(s.labels());
            if (s.name().endsWith("_bucket")) {
                String le = series.remove("le");
                if (le == null) {
                    throw new IllegalArgumentException("bucket of " + family.name() + " without le: " + s);
                }
                buckets.computeIfAbsent(series, k -> new TreeMap<>()).put(parseValue(le), s.value());
            } else if (s.name().endsWith("_count")) {
                counts.put(series, s.value());
            }
        }
        for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> entry : buckets.entrySet()) {
            double previous = 0;
            for (double count : entry.getValue().values()) {
                if (count < previous) {
                    throw new IllegalArgumentException("buckets of " + family.name() + entry.getKey()
                            + " are not cumulative: " + entry.getValue());
                }
                previous = count;
            }
            Double inf = entry.getValue().get(Double.POSITIVE_INFINITY);
            if (inf == null || !inf.equals(counts.get(entry.getKey()))) {
                throw new IllegalArgumentException(family.name() + entry.getKey() + ": +Inf bucket " + inf
                        + " differs from _count " + counts.get(entry.getKey()));
            }
        }
    }

    private static Sample parseSample(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = requireName(line.substring(0, i));
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '='");
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new IllegalArgumentException("invalid label name '" + label + "'");
                }
                i = eq + 1;
                if (i >= n || line.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value of " + label + " is not quoted");
                }
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated label value of " + label);
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= n) {
                            throw new IllegalArgumentException("dangling escape in label " + label);
                        }
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException("invalid escape \\" + e + " in " + label);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " given twice");
                }
                if (i < n && line.charAt(i) == ',') {
                    i++;
                } else if (i >= n || line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' after label " + label);
                }
            }
        }
        if (i >= n || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no value");
        }
        String[] rest = line.substring(i + 1).trim().split(" +");
        if (rest.length > 2) {
            throw new IllegalArgumentException("trailing text after value and timestamp");
        }
        double value = parseValue(rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid timestamp '" + rest[1] + "'");
            }
        }
        return new Sample(name, Collections.unmodifiableMap(labels), value);
    }

    private static double parseValue(String text) {
        switch (text) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN" -> {
                return Double.NaN;
            }
            default -> {
                // Go's ParseFloat accepts what Double does, less Java's hex and type suffixes.
                if (!text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new IllegalArgumentException("invalid value '" + text + "'");
                }
                return Double.parseDouble(text);
            }
        }
    }

    private static String requireName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name + "'");
        }
        return name;
    }

    private static String unescapeHelp(String help) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\' && i + 1 < help.length()) {
                char e = help.charAt(++i);
                switch (e) {
                    case '\\' -> out.append('\\');
                    case 'n' -> out.append('\n');
                    default -> throw new IllegalArgumentException("invalid escape \\" + e + " in HELP");
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
