package dev.strata.processor;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line written as in the configuration file ({@code 500ms}, {@code 30s},
 * {@code 2m}), by the same parser, so the two never disagree.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration duration;
        try {
            duration = ConfigFactory.parseMap(Map.of("d", value)).getDuration("d");
        } catch (ConfigException e) {
            throw new TypeConversionException("'" + value + "' is not a duration such as 500ms, 30s or 2m");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new TypeConversionException("'" + value + "' must be longer than 0");
        }
        return duration;
    }
}
