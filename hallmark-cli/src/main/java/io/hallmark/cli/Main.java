package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import picocli.CommandLine;

import java.util.ServiceLoader;

/** Entry point of the {@code hallmark} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        HallmarkCommand root = new HallmarkCommand();
        try {
            CommandLine cli = new CommandLine(root);
            // Before the settings below, which apply to the subcommands present when they are set.
            ServiceLoader.load(ModuleCommand.class).forEach(cli::addSubcommand);
            cli.addSubcommand(new CommandLine.HelpCommand()); // listed last in --help, after the other modules' commands
            DeviceCommand.withoutInstallationOptions(cli.getSubcommands().get("device"));
            return cli
                    .setCaseInsensitiveEnumValuesAllowed(true)
                    .setExecutionExceptionHandler((e, cmd, parsed) -> fail(e, cmd))
                    .setParameterExceptionHandler(Main::usage)
                    .execute(args);
        } finally {
            root.close();
        }
    }

    /**
     * A usage error is one line too, naming where the help is, rather than the whole help page, which buries the
     * message under forty lines of options (picocli's default).
     */
    private static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("hallmark: " + Output.safe(String.valueOf(e.getMessage()).lines().findFirst().orElse(""))
                + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return ExitCodes.USAGE;
    }

    /** One line on stderr, and an exit code by kind of failure (listed in `hallmark --help`). */
    private static int fail(Exception e, CommandLine cmd) {
        if (System.getenv("HALLMARK_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // HallmarkException messages are escaped already; others (a library's, a server's reply) may quote raw input.
        cmd.getErr().println("hallmark: " + Output.safe(message.lines().findFirst().orElse("")));
        if (e instanceof HallmarkException h) {
            return switch (h.kind()) {
                case BAD_INPUT -> ExitCodes.BAD_INPUT;
                case NOT_FOUND -> ExitCodes.NOT_FOUND;
                case CONFLICT -> ExitCodes.CONFLICT;
                case FORBIDDEN, UNAUTHENTICATED -> ExitCodes.FORBIDDEN;
                case UNAVAILABLE -> ExitCodes.UNAVAILABLE;
                case INTERNAL -> ExitCodes.FAILED;
                case INCOMPATIBLE -> ExitCodes.NEWER_INSTALLATION;
            };
        }
        return ExitCodes.FAILED;
    }
}
