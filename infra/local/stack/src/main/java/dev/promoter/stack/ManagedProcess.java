package dev.promoter.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server process of the local stack: started with its output appended to a log file and its
 * pid kept in a file, so a later command can find it, tell whether it runs, and stop it.
 */
public final class ManagedProcess {

    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);

    private final String name;
    private final Path pidFile;
    private final Path logFile;

    ManagedProcess(String name, Path stateDir) {
        this.name = name;
        this.pidFile = stateDir.resolve(name + ".pid");
        this.logFile = stateDir.resolve("logs").resolve(name + ".log");
    }

    /** The process this pid file names, if it is still alive. */
    public Optional<ProcessHandle> running() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the command; {@code detached} puts it in its own session (setsid) so it outlives the
     * launcher and the terminal that started it, as `./pipeline up` needs.
     */
    public Process start(List<String> command, Path workDir, boolean detached) {
        try {
            Files.createDirectories(logFile.getParent());
            List<String> argv = detached ? prepend("setsid", command) : command;
            Process process = new ProcessBuilder(argv)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Stops the process politely (SIGTERM), then forcibly; true when something was stopped. */
    public boolean stop() {
        Optional<ProcessHandle> process = running();
        process.ifPresent(ManagedProcess::terminate);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return process.isPresent();
    }

    static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timedOutOrInterrupted) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    public Path logFile() {
        return logFile;
    }

    public String name() {
        return name;
    }

    private static List<String> prepend(String first, List<String> rest) {
        var argv = new java.util.ArrayList<String>(rest.size() + 1);
        argv.add(first);
        argv.addAll(rest);
        return argv;
    }
}
