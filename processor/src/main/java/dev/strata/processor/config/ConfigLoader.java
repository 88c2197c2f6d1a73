package dev.strata.processor.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Layers the configuration: environment variables over the user's file over reference.conf
 * (the scheme is documented at the top of reference.conf). Nothing here reads
 * {@code System.getenv()}: the caller passes the environment, so tests can too.
 */
final class ConfigLoader {

    private static final String ROOT = "strata";
    private static final String ENV_PREFIX = "STRATA_";
    private static final String KAFKA_ENV_PREFIX = "STRATA_KAFKA_";
    private static final String ENV_ORIGIN = "environment variable ";
    private static final Pattern KAFKA_PROPERTY = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

    /** The resolved configuration and the flattened {@code strata.kafka} properties. */
    record Loaded(Config config, Map<String, String> kafka) {
    }

    private ConfigLoader() {
    }

    static Loaded load(Optional<Path> file, Map<String, String> env) {
        // Other libraries may ship a reference.conf too; only the strata tree is ours.
        Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false)).withOnlyPath(ROOT);
        Optional<Path> userFile = file.or(() -> Optional.ofNullable(env.get(StrataConfig.CONFIG_FILE_ENV))
                .filter(name -> !name.isBlank()).map(Path::of));
        Config user = userFile.map(ConfigLoader::parseFile).orElse(ConfigFactory.empty());
        Config merged = environmentLayer(env, reference).withFallback(user).withFallback(reference);
        Config resolved;
        try {
            resolved = merged.resolve(ConfigResolveOptions.defaults()
                    .setUseSystemEnvironment(false)
                    .appendResolver(new EnvironmentResolver(env)));
        } catch (ConfigException e) {
            throw new InvalidConfigException("Cannot resolve the configuration: " + e.getMessage(), e);
        }
        rejectUnknownSettings(resolved, reference);
        return new Loaded(resolved, kafkaProperties(resolved.getObject(ROOT + ".kafka")));
    }

    /** The environment variable of a setting path: strata.batch.max-delay -> STRATA_BATCH_MAX_DELAY. */
    static String environmentVariable(String path) {
        return path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The Kafka property of a STRATA_KAFKA_ variable: '_' is '.', '__' is '_'. */
    static String kafkaProperty(String variable) {
        String rest = variable.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        StringBuilder property = new StringBuilder(rest.length());
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '_' && i + 1 < rest.length() && rest.charAt(i + 1) == '_') {
                property.append('_');
                i++;
            } else {
                property.append(c == '_' ? '.' : c);
            }
        }
        return property.toString();
    }

    private static Config parseFile(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidConfigException("Config file " + path.toAbsolutePath() + " does not exist or cannot be read");
        }
        try {
            return ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException("Cannot parse config file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static Config environmentLayer(Map<String, String> env, Config reference) {
        Map<String, ConfigValue> settings = new HashMap<>();
        collectLeaves(reference.root(), "", settings);
        Map<String, String> byVariable = new HashMap<>();
        settings.keySet().stream()
                .filter(path -> !path.startsWith(ROOT + ".kafka."))
                .forEach(path -> byVariable.put(environmentVariable(path), path));

        Config layer = ConfigFactory.empty();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith(ENV_PREFIX) || variable.equals(StrataConfig.CONFIG_FILE_ENV)) {
                continue;
            }
            String origin = ENV_ORIGIN + variable;
            if (variable.startsWith(KAFKA_ENV_PREFIX)) {
                String property = kafkaProperty(variable);
                if (!KAFKA_PROPERTY.matcher(property).matches()) {
                    throw new InvalidConfigException("Environment variable " + variable + " does not spell a Kafka "
                            + "property (got '" + property + "'); write STRATA_KAFKA_ then the property name with "
                            + "'_' for '.' and '__' for '_'");
                }
                layer = ConfigValueFactory.fromAnyRef(e.getValue(), origin).atPath(ROOT + ".kafka." + property)
                        .withFallback(layer);
                continue;
            }
            String path = byVariable.get(variable);
            if (path == null) {
                unknown.add(variable);
                continue;
            }
            ConfigValue value = settings.get(path).valueType() == ConfigValueType.LIST
                    ? ConfigValueFactory.fromIterable(splitList(e.getValue()), origin)
                    : ConfigValueFactory.fromAnyRef(e.getValue(), origin);
            layer = value.atPath(path).withFallback(layer);
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException("Unknown environment variable(s) " + String.join(", ", unknown)
                    + ": a variable starting with " + ENV_PREFIX + " must name a setting (STRATA_ + its path after "
                    + "'strata.', upper-case, '.' and '-' as '_', e.g. STRATA_BATCH_MAX_DELAY), be "
                    + KAFKA_ENV_PREFIX + "<PROPERTY> or " + StrataConfig.CONFIG_FILE_ENV);
        }
        return layer;
    }

    private static List<String> splitList(String value) {
        return value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::strip).collect(Collectors.toList());
    }

    /** Every leaf path under {@code object}, null values included (they mark optional settings). */
    private static void collectLeaves(ConfigObject object, String prefix, Map<String, ConfigValue> leaves) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = ConfigUtil.joinPath(e.getKey());
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (e.getValue() instanceof ConfigObject child) {
                collectLeaves(child, path, leaves);
            } else {
                leaves.put(path, e.getValue());
            }
        }
    }

    private static void rejectUnknownSettings(Config resolved, Config reference) {
        Map<String, ConfigValue> known = new HashMap<>();
        collectLeaves(reference.root(), "", known);
        Map<String, ConfigValue> given = new HashMap<>();
        collectLeaves(resolved.root(), "", given);
        TreeSet<String> unknown = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : given.entrySet()) {
            String path = e.getKey();
            if ((path.equals(ROOT) || path.startsWith(ROOT + ".")) && !path.startsWith(ROOT + ".kafka.")
                    && !known.containsKey(path)) {
                unknown.add(path + " (" + e.getValue().origin().description() + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException("Unknown setting(s) " + String.join(", ", unknown)
                    + "; reference.conf lists every setting");
        }
    }

    /**
     * Flattens {@code strata.kafka} into Kafka property names. Nested and quoted spellings of a
     * name are the same property; if both appear, the layer with the higher precedence wins
     * (environment, then the user's file, then reference.conf). Null removes a property; a list
     * becomes Kafka's comma-separated form.
     */
    private static Map<String, String> kafkaProperties(ConfigObject kafka) {
        Map<String, ConfigValue> values = new TreeMap<>();
        flattenKafka(kafka, "", values);
        Map<String, String> properties = new TreeMap<>();
        values.forEach((name, value) -> {
            if (value.valueType() == ConfigValueType.LIST) {
                properties.put(name, ((ConfigList) value).unwrapped().stream().map(String::valueOf)
                        .collect(Collectors.joining(",")));
            } else if (value.valueType() != ConfigValueType.NULL) {
                properties.put(name, String.valueOf(value.unwrapped()));
            }
        });
        return properties;
    }

    private static void flattenKafka(ConfigObject object, String prefix, Map<String, ConfigValue> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof ConfigObject child) {
                flattenKafka(child, name + ".", out);
                continue;
            }
            ConfigValue earlier = out.get(name);
            if (earlier == null || rank(e.getValue().origin()) > rank(earlier.origin())) {
                out.put(name, e.getValue());
            } else if (rank(e.getValue().origin()) == rank(earlier.origin())) {
                throw new InvalidConfigException("Kafka property " + name + " is set twice under strata.kafka, as a "
                        + "quoted key and as a path (" + earlier.origin().description() + "; "
                        + e.getValue().origin().description() + "); write it once");
            }
        }
    }

    private static int rank(ConfigOrigin origin) {
        if (origin.description().startsWith(ENV_ORIGIN)) {
            return 3;
        }
        return "reference.conf".equals(origin.resource()) ? 1 : 2;
    }

    /** Lets {@code ${?VAR}} in the user's file see the environment the caller passed. */
    private record EnvironmentResolver(Map<String, String> env) implements ConfigResolver {

        @Override
        public ConfigValue lookup(String path) {
            String value = env.get(path);
            return value == null ? null : ConfigValueFactory.fromAnyRef(value, ENV_ORIGIN + path);
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver fallback) {
            return new Chained(this, fallback);
        }
    }

    private record Chained(ConfigResolver first, ConfigResolver second) implements ConfigResolver {

        @Override
        public ConfigValue lookup(String path) {
            ConfigValue value = first.lookup(path);
            return value != null ? value : second.lookup(path);
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver fallback) {
            return new Chained(this, fallback);
        }
    }
}
