package io.github.losslab.app.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Binds a section of the configuration file onto a settings record, and writes a record back in the same form.
 *
 * <p>Each record component is a key: its name in kebab case ({@code batchSize} is {@code batch-size}). Supported
 * component types are {@code int}, {@code long}, {@code double}, {@code boolean}, {@code String}, {@link Path},
 * enums, any class with a public static {@code parse(String)} method (a "named value", written back through its
 * {@code configName()} method), and {@code List}s of these. Keys missing from the section keep the value of the
 * base record (a preset); unknown keys, wrong types and values the record's constructor rejects with an
 * {@link InvalidSettingException} become a {@link ConfigException} naming the key, the value and what is allowed.
 */
public final class SettingsBinder {

    private SettingsBinder() {
    }

    /** The configuration keys of a settings record, in component order. */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            keys.add(kebab(c.getName()));
        }
        return keys;
    }

    /**
     * A copy of {@code base} with the values of {@code section}.
     *
     * @param path dotted path of the section in the file, for error messages
     * @throws ConfigException naming the first key that is unknown or invalid
     */
    public static <S extends Record> S bind(Class<S> type, S base, Map<String, ?> section, String path) {
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys = keys(type);
        Object[] args = new Object[components.length];
        Object[] given = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = read(components[i], base);
        }
        // integers beyond int's range are passed on clamped, so that the record's own check names its range
        Map<String, Object> clamped = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : section.entrySet()) {
            int i = keys.indexOf(e.getKey());
            if (i < 0) {
                throw ConfigException.unknownKey(path, e.getKey(), keys);
            }
            String key = ConfigException.join(path, e.getKey());
            given[i] = e.getValue();
            args[i] = convert(key, e.getValue(), components[i].getGenericType(), clamped);
        }
        try {
            S settings = canonicalConstructor(type, components).newInstance(args);
            if (!clamped.isEmpty()) {
                Map.Entry<String, Object> first = clamped.entrySet().iterator().next();
                throw ConfigException.invalidValue(first.getKey(), first.getValue(), "an integer between "
                        + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
            }
            return settings;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidSettingException invalid) {
                int i = indexOf(components, invalid.setting());
                String key = ConfigException.join(path, i >= 0 ? keys.get(i) : kebab(invalid.setting()));
                Object value = i >= 0 && given[i] != null ? given[i] : configValue(invalid.value());
                throw ConfigException.invalidValue(key, value, invalid.allowed());
            }
            if (cause instanceof IllegalArgumentException) {
                throw new ConfigException(path, cause.getMessage());
            }
            throw new IllegalStateException("cannot create " + type.getSimpleName() + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getSimpleName() + ": " + e, e);
        }
    }

    /** The record as a configuration section: kebab-case keys, values as they would be written in the file. */
    public static Map<String, Object> toMap(Record settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent c : settings.getClass().getRecordComponents()) {
            map.put(kebab(c.getName()), configValue(read(c, settings)));
        }
        return map;
    }

    /** {@code batchSize} to {@code batch-size}. */
    public static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('-').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** A value as it would be written in the configuration file. */
    static Object configValue(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Path p) {
            return p.toString();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(configValue(o));
            }
            return out;
        }
        try {
            Method m = value.getClass().getMethod("configName");
            return m.invoke(value);
        } catch (NoSuchMethodException e) {
            if (value instanceof Enum<?> en) {
                return en.name().toLowerCase(Locale.ROOT).replace('_', '-');
            }
            return value.toString();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the configuration name of " + value, e);
        }
    }

    /**
     * The value of a key as the record component's type.
     *
     * @param clamped where an integer beyond the range of {@code int} is recorded, by key, as it was written; it
     *                is converted to the nearest {@code int}
     */
    private static Object convert(String key, Object value, Type type, Map<String, Object> clamped) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type element = p.getActualTypeArguments()[0];
            List<?> items = value instanceof List<?> l ? l : List.of(value);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                out.add(convert(key + "[" + i + "]", items.get(i), element, clamped));
            }
            return out;
        }
        if (!(type instanceof Class<?> c)) {
            throw new IllegalStateException(key + ": settings of type " + type + " cannot be configured");
        }
        if (value == null) {
            throw ConfigException.invalidValue(key, null, expected(c));
        }
        if (c == int.class || c == Integer.class) {
            long v = integral(key, value, c);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                clamped.putIfAbsent(key, value);
                return v < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            }
            return (int) v;
        }
        if (c == long.class || c == Long.class) {
            return integral(key, value, c);
        }
        if (c == double.class || c == Double.class) {
            if (value instanceof Number n && !(value instanceof BigInteger)) {
                return n.doubleValue();
            }
            throw ConfigException.invalidValue(key, value, expected(c));
        }
        if (c == boolean.class || c == Boolean.class) {
            if (value instanceof Boolean b) {
                return b;
            }
            throw ConfigException.invalidValue(key, value, expected(c));
        }
        if (!(value instanceof String text)) {
            throw ConfigException.invalidValue(key, value, expected(c));
        }
        if (c == String.class) {
            return text;
        }
        if (c == Path.class) {
            return Path.of(text);
        }
        Method parse = parseMethod(c);
        if (parse != null) {
            try {
                return parse.invoke(null, text);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof IllegalArgumentException) {
                    throw new ConfigException(key, e.getCause().getMessage());
                }
                throw new IllegalStateException(key + ": cannot parse '" + text + "'", e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(key + ": cannot parse '" + text + "'", e);
            }
        }
        if (c.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                String name = (String) configValue(constant);
                if (name.equalsIgnoreCase(text.trim())) {
                    return constant;
                }
                names.add(name);
            }
            throw ConfigException.invalidValue(key, value, "one of " + String.join(", ", names));
        }
        throw new IllegalStateException(key + ": settings of type " + c.getName() + " cannot be configured");
    }

    private static long integral(String key, Object value, Class<?> c) {
        return wholeNumber(value).orElseThrow(() -> ConfigException.invalidValue(key, value, expected(c)));
    }

    /**
     * The value of a YAML number that is a whole number, written as an integer ({@code 1000}) or in floating-point
     * form ({@code 1.0e3}, {@code 1e3}); empty for anything else. Every integer key of the file reads its value
     * through this.
     */
    static OptionalLong wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return OptionalLong.of(((Number) value).longValue());
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p62) {
            return OptionalLong.of(d.longValue());
        }
        return OptionalLong.empty();
    }

    private static String expected(Class<?> c) {
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return "an integer";
        }
        if (c == double.class || c == Double.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == Path.class) {
            return "a path";
        }
        if (c.isEnum() && parseMethod(c) == null) {
            List<String> names = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                names.add((String) configValue(constant));
            }
            return "one of " + String.join(", ", names);
        }
        return "a name";
    }

    private static Method parseMethod(Class<?> c) {
        try {
            Method m = c.getMethod("parse", String.class);
            return Modifier.isStatic(m.getModifiers()) && c.isAssignableFrom(m.getReturnType()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static <S extends Record> Constructor<S> canonicalConstructor(Class<S> type, RecordComponent[] components)
            throws NoSuchMethodException {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        Constructor<S> ctor = type.getDeclaredConstructor(types);
        ctor.setAccessible(true);
        return ctor;
    }
}
