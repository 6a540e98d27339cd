package org.dmiplatform.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's {@code ./dmi} launcher against the distribution the build just made, with its own data
 * folder and ports, as a user would.
 */
final class Launcher implements AutoCloseable {
    final Path root = Paths.get(System.getProperty("dmi.repository.root", "../.."))
            .toAbsolutePath()
            .normalize();
    final Path data;
    final int httpPort;
    final Map<String, String> env = new HashMap<>();

    record Result(int exit, String output) {}

    Launcher(String name) throws IOException {
        data = Paths.get("target", "launcher", name + "-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(data.getParent());
        httpPort = freePort();
        env.put("DMI_DATA", data.toString());
        env.put("DMI_HTTP_PORT", String.valueOf(httpPort));
        env.put("DMI_SSH_PORT", String.valueOf(freePort()));
        env.put("DMI_NO_BUILD", "1");
    }

    /** One node of several sharing a data folder (and a database): its own runtime and ports. */
    Launcher(String name, Path sharedData) throws IOException {
        this(name);
        env.put("DMI_DATA", sharedData.toString());
        env.put("DMI_RUNTIME", data.toString());
        env.put("DMI_NODE", name);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Result dmi(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(root.resolve("dmi").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("DMI_"));
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        // the launcher returns once the platform answers (start) or the JVM is gone (stop)
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./dmi " + String.join(" ", args) + " did not return");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    Result start() throws IOException, InterruptedException {
        Result result = dmi("start");
        if (result.exit() != 0) {
            throw new AssertionError("./dmi start failed (" + result.exit() + "):\n" + result.output() + "\n" + log());
        }
        return result;
    }

    /** This node's runtime: DMI_RUNTIME, else the data folder's. */
    Path runtime() {
        return env.containsKey("DMI_RUNTIME") ? Paths.get(env.get("DMI_RUNTIME")) : data.resolve("runtime");
    }

    /** The platform's JVM, while it runs. */
    long pid() throws IOException {
        return Long.parseLong(Files.readString(runtime().resolve("karaf.pid")).strip());
    }

    String log() {
        try {
            return Files.readString(runtime().resolve("data/log/karaf.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    Http http() {
        return new Http(httpPort);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        dmi("stop");
    }
}
