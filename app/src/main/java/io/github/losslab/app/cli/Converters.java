package io.github.losslab.app.cli;

import io.github.losslab.api.Precision;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.Preset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;

/** Option converters whose errors say what the valid values are; picocli names the option in front. */
public final class Converters {

    private Converters() {
    }

    static final class PresetConverter implements ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            try {
                return Preset.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ShardConverter implements ITypeConverter<io.github.losslab.app.trial.Shard> {
        @Override
        public io.github.losslab.app.trial.Shard convert(String value) {
            try {
                return io.github.losslab.app.trial.Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ParallelismConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number: give the trials to run at "
                        + "once (0 for one per core)");
            }
        }
    }

    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code cpu} or {@code gpu}. */
    public static final class DeviceConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!LosslabConfig.DEVICES.contains(value)) {
                throw new TypeConversionException("'" + value + "' is not a device; expected one of "
                        + String.join(", ", LosslabConfig.DEVICES));
            }
            return value;
        }
    }

    /**
     * A path that is not empty: an empty one would quietly mean the current directory, which the configuration
     * file's {@code out: ""} already refuses.
     */
    public static final class PathConverter implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("an empty path is not allowed; give a file or directory name "
                        + "('.' for the current directory)");
            }
            return Path.of(value);
        }
    }
}
