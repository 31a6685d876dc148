package dev.kindling.local.cli;

import dev.kindling.local.lambda.Invoke;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/kindling}: the shop developer's commands beside the local runtime and a deployed stack. The admin token
 * comes from {@code KINDLING_ADMIN_TOKEN}, never from a flag that would land in the shell's history.
 */
@Command(name = "kindling", mixinStandardHelpOptions = true, version = "kindling 0.1.0",
        description = "Kindling from the command line: a shop's configuration as code, imports, admin tokens and function invocations.",
        subcommands = {ConfigCommands.Export.class, ConfigCommands.Validate.class, ConfigCommands.Diff.class, ConfigCommands.Apply.class,
                ImportCommand.class, AdminTokens.class, Invoke.class, AutoComplete.GenerateCompletion.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0   done; for diff: nothing would change",
                "  1   a problem: the folder does not validate, the server refused",
                "      or failed, an import failed",
                "  2   diff: something would change (terraform plan -detailed-exitcode)",
                "  64  a usage error: an unknown option, a missing argument, no token",
                "",
                "Environment:",
                "  KINDLING_ADMIN_TOKEN   the admin token; it names the shop",
                "                         (bin/kindling admin-token makes one)"})
public final class KindlingCli {
    static final int PROBLEM = 1;
    static final int CHANGES = 2;
    static final int USAGE = 64;
    static final String TOKEN_VARIABLE = "KINDLING_ADMIN_TOKEN";

    final String token;
    final PrintStream out;
    final PrintStream err;

    KindlingCli(String token, PrintStream out, PrintStream err) {
        this.token = token;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(TOKEN_VARIABLE), System.out, System.err));
    }

    /** Runs one command line with this token and these streams; its exit code. */
    public static int run(String[] args, String token, PrintStream out, PrintStream err) {
        return commandLine(token, out, err).execute(args);
    }

    static CommandLine commandLine(String token, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new KindlingCli(token, out, err));
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        line.getCommandSpec().exitCodeOnInvalidInput(USAGE);
        line.getSubcommands().values().forEach(sub -> sub.getCommandSpec().exitCodeOnInvalidInput(USAGE));
        return line.setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The admin API at {@code url} with the token, or a usage error of {@code command} when there is no token. */
    AdminClient admin(String url, CommandLine command) {
        if (token == null || token.isBlank()) throw new CommandLine.ParameterException(command, TOKEN_VARIABLE + " is not set");
        return new AdminClient(url, token);
    }
}
