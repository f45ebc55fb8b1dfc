package io.github.losslab.app;

import com.google.inject.Guice;
import io.github.losslab.app.config.ConfigFile;
import io.github.losslab.app.config.SettingsBinder;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.inject.ExperimentsModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** README.md cannot rot: its Java examples compile (and the first runs), its commands and keys exist. */
class ReadmeTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public (?:final )?class (\\w+)");

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    private static List<String> javaBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme());
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void javaExamplesCompileAndTheFirstRuns(@TempDir Path dir) throws Exception {
        List<String> blocks = javaBlocks();
        assertThat(blocks).as("Java blocks of README.md").hasSizeGreaterThanOrEqualTo(1);
        List<File> sources = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (String block : blocks) {
            Matcher m = CLASS_NAME.matcher(block);
            assertThat(m.find()).as("a public class in README block:%n%s", block).isTrue();
            classes.add(m.group(1));
            Path src = dir.resolve("src").resolve(m.group(1) + ".java");
            Files.createDirectories(src.getParent());
            Files.writeString(src, block);
            sources.add(src.toFile());
        }
        Path classesDir = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
                    classesDir.toString(), "-Xlint:all", "-Werror", "--release", "17");
            boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromFiles(sources)).call();
            assertThat(ok).as("README examples compile: %s", diagnostics.getDiagnostics()).isTrue();
        }

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classesDir.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass(classes.get(0)).getMethod("main", String[].class);
            PrintStream stdout = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                main.invoke(null, (Object) new String[0]);
            } finally {
                System.setOut(stdout);
            }
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("parameters").contains("MSE");
        }
    }

    @Test
    void ciRunsExactlyTheReadmeTestCommand() throws IOException {
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("set ") && !l.startsWith("cd "))
                .toList();
        assertThat(ci).containsExactly("./mvnw -B verify");
        assertThat(readme()).contains("```bash\n./mvnw -B verify\n```");
        assertThat(Files.isExecutable(ROOT.resolve(".ci/run"))).isTrue();
        assertThat(Files.isExecutable(ROOT.resolve("losslab"))).isTrue();
        assertThat(readme()).contains("```bash\n./losslab run all\n```");
    }

    @Test
    void everyExperimentAndConfigurationKeyIsDocumented() throws IOException {
        String readme = readme();
        for (String key : ConfigFile.KEYS) {
            assertThat(readme).as("configuration key %s", key).containsPattern("(?m)^" + key + ":");
        }
        ExperimentCatalog catalog = Guice.createInjector(new ExperimentsModule()).getInstance(ExperimentCatalog.class);
        for (ExperimentType<?> t : catalog.types()) {
            assertThat(readme).contains("**`" + t.name() + "`**");
            for (String key : SettingsBinder.keys(t.settingsType())) {
                assertThat(readme).as("key %s of %s", key, t.name()).containsPattern("(?m)^ {4}" + key + ":");
            }
        }
    }
}
