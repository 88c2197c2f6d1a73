package dev.strata.processor.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Typed reads of the resolved configuration. Every failure becomes an {@link InvalidConfigException}
 * naming the setting, its value and where that value came from (file and line, or the
 * environment variable).
 */
final class Settings {

    private final Config config;

    Settings(Config config) {
        this.config = config;
    }

    String string(String path) {
        String value = read(path, () -> config.getString(path)).strip();
        if (value.isEmpty()) {
            throw invalid(path, "must not be empty");
        }
        return value;
    }

    /** Null, absent or blank count as not set. */
    Optional<String> optionalString(String path) {
        if (!config.hasPath(path)) {
            return Optional.empty();
        }
        String value = read(path, () -> config.getString(path)).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    int intBetween(String path, int min, int max) {
        long value = whole(path);
        if (value < min || value > max) {
            throw invalid(path, max == Integer.MAX_VALUE ? "must be at least " + min
                    : "must be between " + min + " and " + max);
        }
        return (int) value;
    }

    long longBetween(String path, long min, long max) {
        long value = whole(path);
        if (value < min || value > max) {
            throw invalid(path, "must be between " + min + " and " + max);
        }
        return value;
    }

    /** Typesafe Config would silently truncate 8.5 to 8. */
    private long whole(String path) {
        Number number = read(path, () -> config.getNumber(path));
        if (number instanceof Double d) {
            if (d != Math.rint(d) || Math.abs(d) >= 0x1p63) {
                throw invalid(path, "must be a whole number");
            }
            return d.longValue();
        }
        return number.longValue();
    }

    double doubleBetween(String path, double min, double max) {
        double value = read(path, () -> config.getDouble(path));
        if (!(value >= min && value <= max)) {
            throw invalid(path, "must be between " + min + " and " + max);
        }
        return value;
    }

    long bytesBetween(String path, long min, long max) {
        long value = read(path, () -> config.getBytes(path));
        if (value < min || value > max) {
            throw invalid(path, "must be between " + min + " and " + max + " bytes");
        }
        return value;
    }

    boolean bool(String path) {
        return read(path, () -> config.getBoolean(path));
    }

    Duration positiveDuration(String path) {
        Duration value = duration(path);
        if (value.isZero()) {
            throw invalid(path, "must be longer than 0");
        }
        return value;
    }

    Duration duration(String path) {
        Duration value = read(path, () -> config.getDuration(path));
        if (value.isNegative()) {
            throw invalid(path, "must not be negative");
        }
        return value;
    }

    List<Integer> intList(String path) {
        List<Integer> ints = new ArrayList<>();
        for (Number n : read(path, () -> config.getNumberList(path))) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
                throw invalid(path, "must list whole numbers");
            }
            ints.add(n.intValue());
        }
        return ints;
    }

    /** One of the enum's constants, spelt in lower case with '-' for '_' (drop-oldest). */
    <E extends Enum<E>> E choice(String path, Class<E> type) {
        String value = string(path);
        for (E constant : type.getEnumConstants()) {
            if (spelling(constant).equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw invalid(path, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Settings::spelling)
                .collect(Collectors.joining(", ")));
    }

    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** An optional path to a readable regular file. */
    Optional<Path> optionalFile(String path) {
        Optional<String> value = optionalString(path);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(value.get());
        } catch (InvalidPathException e) {
            throw invalid(path, "is not a valid path: " + e.getMessage());
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw invalid(path, "is not a readable file (working directory " + Path.of("").toAbsolutePath() + ")");
        }
        return Optional.of(file);
    }

    InvalidConfigException invalid(String path, String reason) {
        return new InvalidConfigException("Invalid setting " + path + " = " + render(path) + from(path) + ": " + reason);
    }

    /** The value as written, for messages. */
    String render(String path) {
        if (!config.hasPathOrNull(path)) {
            return "(not set)";
        }
        if (!config.hasPath(path)) {
            return "null";
        }
        ConfigValue value = config.getValue(path);
        return value.valueType() == ConfigValueType.STRING ? "'" + value.unwrapped() + "'"
                : value.render(ConfigRenderOptions.concise());
    }

    private String from(String path) {
        return config.hasPath(path) ? " (from " + config.getValue(path).origin().description() + ")" : "";
    }

    private <T> T read(String path, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (ConfigException.Missing e) {
            throw new InvalidConfigException("Missing setting " + path + ": it is null or absent", e);
        } catch (ConfigException e) {
            // Typesafe's message starts with the origin, which from() already names.
            String detail = e.getMessage();
            String origin = e.origin() == null ? null : e.origin().description() + ": ";
            if (origin != null && detail.startsWith(origin)) {
                detail = detail.substring(origin.length());
            }
            throw new InvalidConfigException("Invalid setting " + path + " = " + render(path) + from(path) + ": "
                    + detail, e);
        }
    }
}
