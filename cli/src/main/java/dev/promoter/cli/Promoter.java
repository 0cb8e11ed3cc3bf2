package dev.promoter.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code promoter}: the pipeline's command line. It talks only to the four services' public HTTP APIs. Exit status
 * 0 done, 1 refused, 2 usage, 3 a service could not be reached.
 */
@Command(name = "promoter", mixinStandardHelpOptions = true, version = "promoter 0.1.0",
        description = "Look at and act on the promotion pipeline: what runs where, what waits and why, what happened.",
        subcommands = {
                ReadCommands.Status.class, ReadCommands.History.class, ReadCommands.Why.class,
                ReadCommands.Builds.class, ReadCommands.Tests.class, ReadCommands.Decisions.class,
                GateCommands.Approve.class, GateCommands.Reject.class, GateCommands.Promote.class,
                GateCommands.Pin.class, GateCommands.Unpin.class,
                RollbackCommands.Rollback.class, RollbackCommands.Quarantine.class, RollbackCommands.DeadLetters.class,
                DefinitionCommands.Define.class, DefinitionCommands.GetDefinition.class,
                WatchCommand.class, StopTheLineCommands.StopTheLine.class, StopTheLineCommands.Resume.class,
                DoraCommand.class,
                AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:refused (by a service or by this CLI)", "2:usage error",
                "3:a service could not be reached"},
        footerHeading = "%nConfiguration:%n",
        footer = {"Flags, else PROMOTER_URL_BUILD|TEST|PROMOTE|ROLLBACK and PROMOTER_TOKEN (or PROMOTER_TOKEN_<SERVICE>),"
                + " else the config file ($PROMOTER_CONFIG or ~/.config/promoter/config.yaml: urls.<service>, token,"
                + " tokens.<service>, caller), else the local stack of this checkout (.pipeline/secrets.env, ports"
                + " 8081-8084). Shell completion: source <(promoter generate-completion)."})
public final class Promoter {

    /** Where the CLI runs: its environment, the user's home, the checkout whose local stack is the default. */
    public record Environment(Map<String, String> variables, Path home, Path checkout, Clock clock) {

        /** This process's environment; the checkout from {@code -Dpromoter.checkout} or the working folder. */
        public static Environment ofProcess() {
            String checkout = System.getProperty("promoter.checkout");
            return new Environment(System.getenv(), Path.of(System.getProperty("user.home")),
                    checkout != null ? Path.of(checkout) : Settings.findCheckout(Path.of("")), Clock.systemUTC());
        }
    }

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "table|json|yaml",
            description = "table (for people, the default), json or yaml (the services' answers)")
    Output output = Output.TABLE;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "bearer token for every service (else PROMOTER_TOKEN)")
    String token;

    @Option(names = "--as", scope = ScopeType.INHERIT, paramLabel = "CALLER",
            description = "the caller whose token the local stack's secrets.env gives (default local; else PROMOTER_CALLER)")
    String caller;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "config file (else PROMOTER_CONFIG, else ~/.config/promoter/config.yaml)")
    Path config;

    @Option(names = "--build-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "build service")
    URI buildUrl;
    @Option(names = "--test-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "test service")
    URI testUrl;
    @Option(names = "--promote-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "promote service")
    URI promoteUrl;
    @Option(names = "--rollback-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "rollback service")
    URI rollbackUrl;

    private final Environment environment;
    private final PrintStream out;
    private Api api;

    private Promoter(Environment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, Environment.ofProcess(), System.out, System.err));
    }

    /**
     * Runs one command line and returns its exit status; what it prints goes to {@code out}, errors (one line) to
     * {@code err}. For the demo and tests, which call the CLI in-process.
     */
    public static int run(String[] args, Environment environment, PrintStream out, PrintStream err) {
        CommandLine line = commandLine(environment, out);
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException refusal) {
                err.println("promoter: " + refusal.getMessage());
                return refusal.exitCode();
            }
            err.println("promoter: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return CliException.REFUSED;
        });
        return line.execute(args);
    }

    static CommandLine commandLine(Environment environment, PrintStream out) {
        CommandLine line = new CommandLine(new Promoter(environment, out));
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return line;
    }

    /** The services' APIs, configured on first use (so {@code --help} reads no file). */
    Api api() {
        if (api == null) {
            Map<Service, URI> urls = new EnumMap<>(Service.class);
            urls.put(Service.BUILD, buildUrl);
            urls.put(Service.TEST, testUrl);
            urls.put(Service.PROMOTE, promoteUrl);
            urls.put(Service.ROLLBACK, rollbackUrl);
            api = new Api(Settings.resolve(new Settings.Flags(urls, token, caller, config), environment.variables(),
                    environment.home(), environment.checkout()));
        }
        return api;
    }

    PrintStream out() {
        return out;
    }

    Output output() {
        return output;
    }

    Clock clock() {
        return environment.clock();
    }
}
