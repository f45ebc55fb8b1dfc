package io.github.losslab.app.experiment.fitfunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A real function of one variable on an interval, the target of {@link FitFunctionExperiment}.
 *
 * @param name    a short name used for its output directory and in configuration files, for example
 *                {@code cube}: lower-case letters, digits and '-'
 * @param label   how figures write it, for example {@code x³}
 * @param formula  the function
 * @param from    start of the interval
 * @param to      end of the interval
 */
public record TargetFunction(String name, String label, DoubleUnaryOperator formula, double from, double to) {

    /** x³ on [-2, 2], smooth: every model fits it. */
    public static final TargetFunction CUBE = new TargetFunction("cube", "x³", x -> x * x * x, -2, 2);

    /** sin(5πx) on [-2, 2], ten periods: the reference's hard case, where depth pays. */
    public static final TargetFunction SIN_5PI_X = new TargetFunction("sin-5pi-x", "sin(5πx)",
            x -> Math.sin(5 * Math.PI * x), -2, 2);

    /** sin(x) on [-π, π], one period: a small tanh net fits it exactly (the minimal-ratio experiment's target). */
    public static final TargetFunction SIN = new TargetFunction("sin", "sin(x)", Math::sin, -Math.PI, Math.PI);

    /** The functions configuration files can name. */
    public static final List<TargetFunction> BUILT_IN = List.of(CUBE, SIN_5PI_X, SIN);

    public TargetFunction {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a function name is lower-case letters and digits joined by '-' "
                    + "(it names a directory), was '" + name + "'");
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(formula, "formula");
        if (!(from < to) || Double.isInfinite(from) || Double.isInfinite(to)) {
            throw new IllegalArgumentException("the interval of function " + name + " must be finite with from < to, "
                    + "was [" + from + ", " + to + "]");
        }
    }

    /** The value at {@code x}. */
    public double apply(double x) {
        return formula.applyAsDouble(x);
    }

    /** The name in configuration files. */
    public String configName() {
        return name;
    }

    /**
     * The built-in function of that name.
     *
     * @throws IllegalArgumentException naming the value and the built-in names
     */
    public static TargetFunction parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (TargetFunction f : BUILT_IN) {
            if (f.name.equals(t)) {
                return f;
            }
            names.add(f.name);
        }
        throw new IllegalArgumentException("unknown function '" + text + "': built-in functions are "
                + String.join(", ", names) + " (others can be added from Java)");
    }

    @Override
    public String toString() {
        return name + " = " + label + " on [" + from + ", " + to + "]";
    }
}
