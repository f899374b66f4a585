package io.github.reactivepubsub.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code reactive-pubsub-bom} imported by a user's project ({@code src/it/bom-consumer}) that declares every module
 * without a version. The project is built by Maven itself, offline: this build's artifacts are copied into a private
 * local repository under {@code target/} (never into the shared one), and every other artifact and plugin is read
 * from the shared local repository through a {@code file:} mirror, so nothing is downloaded and nothing shared is
 * written.
 *
 * <p>On a fresh machine that repository holds only what the main build resolved, so the nested build may need
 * nothing else: its plugins are ones the main build runs (the samples module runs {@code maven-dependency-plugin}
 * before the integration tests for this reason), and each artifact it resolves is checked against the list of what
 * the samples module resolved ({@code target/resolved-dependencies.txt}, written by that run). A version that only
 * happens to be in this machine's repository fails here rather than on a clean one.
 */
class BomConsumerIT {

    private static final Path SAMPLES = Path.of("").toAbsolutePath();
    private static final Path ROOT = SAMPLES.getParent();
    private static final Path WORK = SAMPLES.resolve("target/bom-it");
    private static final String GROUP_PATH = "io/github/reactivepubsub";
    private static final List<String> LIBRARIES = List.of("reactive-pubsub", "reactive-pubsub-mmap",
            "reactive-pubsub-tcp", "reactive-pubsub-redis", "reactive-pubsub-spring-boot-starter");

    private static void install(Path repository, String artifactId, String version, Path pom, Path jar)
            throws IOException {
        Path dir = repository.resolve(GROUP_PATH).resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aProjectImportingTheBomGetsEveryModuleAtTheProjectsVersion() throws IOException, InterruptedException {
        String version = System.getProperty("reactive-pubsub.version");
        Path repository = WORK.resolve("repository");
        install(repository, "reactive-pubsub-parent", version, ROOT.resolve("pom.xml"), null);
        install(repository, "reactive-pubsub-bom", version, ROOT.resolve("reactive-pubsub-bom/pom.xml"), null);
        for (String library : LIBRARIES) {
            install(repository, library, version, ROOT.resolve(library).resolve("pom.xml"),
                    ROOT.resolve(library).resolve("target").resolve(library + "-" + version + ".jar"));
        }
        Path shared = Path.of(System.getProperty("shared.repository"));
        Path settings = WORK.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>shared-local</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(repository, shared.toUri()));
        Path project = WORK.resolve("project");
        copyTree(SAMPLES.resolve("src/it/bom-consumer"), project);

        Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        Path dependencies = project.resolve("target/dependencies.txt");
        Process build = new ProcessBuilder(mvn.toString(), "-B", "-o", "-s", settings.toString(),
                "-Daether.offline.protocols=file", "-Dreactive-pubsub.version=" + version,
                "-Dspring-boot.version=" + System.getProperty("spring-boot.version"),
                "-Dlettuce.version=" + System.getProperty("lettuce.version"),
                "-Djspecify.version=" + System.getProperty("jspecify.version"),
                "-Dmaven-dependency-plugin.version=" + System.getProperty("maven-dependency-plugin.version"),
                "-f", project.resolve("pom.xml").toString(), "compile", "dependency:list",
                "-DoutputFile=" + dependencies)
                .redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).as(output).isTrue();
        assertThat(build.exitValue()).as(output).isZero();

        assertThat(project.resolve("target/classes/consumer/Consumer.class")).exists();
        String listed = Files.readString(dependencies);
        for (String library : LIBRARIES) {
            assertThat(listed).contains("io.github.reactivepubsub:" + library + ":jar:" + version + ":compile");
        }
        assertThat(Files.readString(ROOT.resolve("reactive-pubsub-bom/pom.xml")))
                .as("the BOM lists each library").contains(LIBRARIES.stream()
                        .map(a -> "<artifactId>" + a + "</artifactId>").toList());
        Set<String> resolvedBySamples = artifacts(SAMPLES.resolve("target/resolved-dependencies.txt"));
        assertThat(artifacts(dependencies)).as("the nested build needs only what the main build resolved")
                .isNotEmpty().isSubsetOf(resolvedBySamples);
    }

    /**
     * @return the artifacts a {@code dependency:list} output file names, without their scopes and module names:
     *     {@code group:artifact:type[:classifier]:version}
     */
    private static Set<String> artifacts(Path listing) throws IOException {
        Set<String> artifacts = new TreeSet<>();
        for (String line : Files.readAllLines(listing)) {
            String coordinates = line.strip().split(" ")[0];
            if (coordinates.chars().filter(c -> c == ':').count() >= 4) {
                artifacts.add(coordinates.substring(0, coordinates.lastIndexOf(':')));
            }
        }
        return artifacts;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
