package io.github.reactivepubsub.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The libraries on the module path: a small modular application ({@code src/it/modular-consumer}) is compiled against
 * the jars this build produced and run with {@code --module-path}, in a JVM of its own. It checks that the jars are
 * named modules (not automatic ones), export their API packages and not {@code tcp.wire}, that the Redis module
 * exports its API package only, that a message goes through a broker and a remote hub over loopback TCP with
 * everything resolved as modules, and that a Redis hub runs Lettuce (an automatic module) far enough to report a
 * refused connection.
 */
class ModulePathIT {

    private static final Path SAMPLES = Path.of("").toAbsolutePath();
    private static final Path ROOT = SAMPLES.getParent();
    private static final Path SOURCES = SAMPLES.resolve("src/it/modular-consumer");
    private static final Path WORK = SAMPLES.resolve("target/module-path-it");

    /** The libraries' jars (built by this reactor) and their runtime dependencies, from the test class path. */
    private static String modulePath() {
        String version = System.getProperty("reactive-pubsub.version");
        Stream<Path> ours = Stream.of("reactive-pubsub", "reactive-pubsub-mmap", "reactive-pubsub-tcp",
                        "reactive-pubsub-redis")
                .map(module -> ROOT.resolve(module).resolve("target").resolve(module + "-" + version + ".jar"));
        // Lettuce is an automatic module, and loads slf4j (a dependency of its redis-authx-core) once it connects
        Stream<Path> theirs = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().matches("(reactor-core|reactor-netty-core|reactive-streams"
                        + "|netty-.*|jspecify|lettuce-core|redis-authx-core|slf4j-api)-[0-9].*\\.jar"));
        return Stream.concat(ours, theirs).map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static String compile(Path out, String modulePath, Path... files) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        // an empty class path: javac run in this JVM would otherwise take this JVM's class path (the test's, with
        // every library's classes) as its own, and find tcp.wire in the unnamed module instead of refusing it
        Path empty = Files.createDirectories(WORK.resolve("empty-class-path"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "--module-path", modulePath,
                "--class-path", empty.toString(), "-d", out.toString()));
        Arrays.stream(files).map(Path::toString).forEach(args::add);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        return status == 0 ? "" : errors.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aModularApplicationUsesTheLibrariesFromTheModulePath() throws IOException, InterruptedException {
        String modulePath = modulePath();
        Path out = WORK.resolve("classes");
        Files.createDirectories(out);

        assertThat(compile(out, modulePath, SOURCES.resolve("consumer/module-info.java"),
                SOURCES.resolve("consumer/consumer/Main.java"))).as("compiler errors").isEmpty();
        assertThat(compile(WORK.resolve("internal"), modulePath, SOURCES.resolve("consumer/module-info.java"),
                SOURCES.resolve("consumer/consumer/Main.java"), SOURCES.resolve("Internal.java")))
                .as("tcp.wire is not exported").contains("io.github.reactivepubsub.tcp.wire")
                .contains("does not export");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process run = new ProcessBuilder(java.toString(), "--module-path", out + File.pathSeparator + modulePath,
                "--add-modules", "ALL-MODULE-PATH", "-m", "consumer/consumer.Main")
                .redirectErrorStream(true).start();
        boolean finished = run.waitFor(60, TimeUnit.SECONDS);
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            run.destroyForcibly();
        }
        assertThat(finished).as("finished within 60 s: " + output).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("core io.github.reactivepubsub automatic=false",
                "tcp io.github.reactivepubsub.tcp automatic=false", "mmap io.github.reactivepubsub.mmap",
                "exports tcp.remote true", "exports tcp.wire false", "exports core.micrometer true",
                "received hello over the module path",
                "redis io.github.reactivepubsub.redis automatic=false",
                "redis exports [io.github.reactivepubsub.redis]" + System.lineSeparator(),
                "redis DISCONNECTED after a refused connection");
    }
}
