package io.github.losslab.app.inject;

import com.google.inject.Module;
import io.github.losslab.app.UnknownNameException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Guice module of each backend the application can be configured with, by backend name. Configuration picks
 * one by name; adding a backend means writing its module (for example a {@code PyTorchBackendModule}) and
 * listing it here.
 */
public final class BackendModules {

    private static final Map<String, Supplier<Module>> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put(TensorFlowBackendModule.NAME, TensorFlowBackendModule::new);
        MODULES.put(PyTorchBackendModule.NAME, PyTorchBackendModule::new);
    }

    private BackendModules() {
    }

    /** The backend names, in the order to show them. */
    public static List<String> names() {
        return new ArrayList<>(MODULES.keySet());
    }

    /**
     * The module that provides the backend called {@code name}.
     *
     * @throws UnknownNameException listing the valid backend names
     */
    public static Module forName(String name) {
        Supplier<Module> m = MODULES.get(name);
        if (m == null) {
            throw new UnknownNameException("backend", name, names());
        }
        return m.get();
    }
}
