package dev.kindling.local.cli;

import dev.kindling.config.ConfigCheck;
import dev.kindling.config.ConfigDiff;
import dev.kindling.config.ConfigDocument;
import dev.kindling.config.ConfigFolder;
import dev.kindling.config.ConfigKind;
import dev.kindling.config.ShopConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A shop's configuration as code: export it to a folder, check a folder offline, see what applying it changes, apply it. */
final class ConfigCommands {
    private ConfigCommands() {}

    /** Where the admin API is, and which shop the token must be for. */
    static final class Target {
        @Option(names = "--url", defaultValue = "http://127.0.0.1:3000", description = "the admin API: a local runtime or a deployed stack's API URL (default: ${DEFAULT-VALUE})")
        String url;

        @Option(names = "--shop", description = "refuse unless the token is this shop's (a guard against applying a folder to the wrong shop)")
        String shop;

        /** The admin API, checked to be the shop {@code --shop} names. */
        AdminClient connect(KindlingCli cli, CommandSpec spec) {
            AdminClient admin = cli.admin(url, spec.commandLine());
            if (shop != null) {
                String tokens = admin.get("/admin/session").path("shop").path("id").asText();
                if (!shop.equals(tokens)) throw new AdminClient.Refused("the token is shop " + tokens + "'s, not " + shop + "'s (--shop)");
            }
            return admin;
        }
    }

    /** What every command shares: the CLI's token and streams, and the folder. */
    abstract static class OnFolder implements Callable<Integer> {
        @ParentCommand
        KindlingCli cli;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "the configuration's folder")
        Path dir;

        @Override
        public final Integer call() {
            try {
                return run();
            } catch (AdminClient.Refused refused) {
                cli.err.println(refused.getMessage());
                return KindlingCli.PROBLEM;
            }
        }

        abstract int run();

        /** The folder's documents when every one of them is valid; otherwise each problem printed and null. */
        ShopConfig valid() {
            if (!Files.isDirectory(dir)) {
                cli.err.println(dir + ": no such folder");
                return null;
            }
            List<String> problems = new ArrayList<>();
            ShopConfig config = ConfigFolder.read(dir, problems);
            if (problems.isEmpty()) problems.addAll(ConfigCheck.problems(config));
            problems.forEach(cli.out::println);
            if (!problems.isEmpty()) cli.err.println(problems.size() + " problem(s) in " + dir);
            return problems.isEmpty() ? config : null;
        }
    }

    /** diff and apply: the folder against the shop, with what applying it would change. */
    abstract static class Changing extends OnFolder {
        @Mixin
        Target target;

        @Option(names = "--prune", description = "also remove what the shop has and DIR does not (its templates and journey settings go back to ours)")
        boolean prune;

        record Plan(AdminClient admin, List<ConfigDiff.Change> changes) {}

        /** The changes, with what the shop has beyond the folder said when it is kept; null when the folder does not validate. */
        Plan plan() {
            ShopConfig wanted = valid();
            if (wanted == null) return null;
            AdminClient admin = target.connect(cli, spec);
            ShopConfig current = ShopExport.fetch(admin).config();
            List<ConfigDocument> kept = ConfigDiff.onlyOnShop(current, wanted);
            if (!prune && !kept.isEmpty()) {
                cli.out.println("not in " + dir + ", kept (--prune would remove): " + kept.stream().map(ConfigDocument::file).collect(Collectors.joining(", ")));
            }
            return new Plan(admin, ConfigDiff.between(current, wanted, prune));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = {
            "Writes the shop's whole configuration to DIR as YAML, one document per file: settings.yaml, scoring.yaml, "
                    + "templates/, segments/, journeys/, campaigns/ of <id>.yaml. What the shop left as shipped is not written. "
                    + "Files of the layout the shop no longer has are deleted; other files are left alone. An unchanged shop exports byte for byte the same."})
    static final class Export extends OnFolder {
        @Mixin
        Target target;

        @Override
        int run() {
            ShopExport.Fetched fetched = ShopExport.fetch(target.connect(cli, spec));
            ConfigFolder.write(dir, fetched.config(), fetched.headers());
            cli.out.println("exported " + describe(fetched.config().documents().values()) + " to " + dir);
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = {
            "Checks DIR offline (no server) with the parsers the admin API uses, and the references between files "
                    + "(a journey's templates, a campaign's segments and templates, a segment's segments, a template's topic). "
                    + "Prints every problem as file: path: message; exit 1 on any problem, 0 when clean."})
    static final class Validate extends OnFolder {
        @Override
        int run() {
            ShopConfig config = valid();
            if (config == null) return KindlingCli.PROBLEM;
            cli.out.println(dir + ": " + describe(config.documents().values()) + ", no problems");
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = {
            "What apply would change, document by document, with each field that differs. Exit 0 when nothing would change, "
                    + "2 when something would, 1 on a problem."})
    static final class Diff extends Changing {
        @Override
        int run() {
            Plan plan = plan();
            if (plan == null) return KindlingCli.PROBLEM;
            for (ConfigDiff.Change change : plan.changes()) {
                cli.out.println(symbol(change.action()) + " " + change.document().file() + switch (change.action()) {
                    case ADD -> " (new)";
                    case REMOVE -> " (removed)";
                    case CHANGE -> "";
                });
                change.fields().forEach(f -> cli.out.println("    " + f));
            }
            cli.out.println(plan.changes().isEmpty() ? "nothing would change" : plan.changes().size() + " document(s) would change");
            return plan.changes().isEmpty() ? 0 : KindlingCli.CHANGES;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = {
            "Validates DIR, then saves what differs through the admin API in dependency order (settings, scoring, templates, "
                    + "segments, journeys, campaigns; within them what others use first). Running it again changes nothing. "
                    + "Every change is in the shop's audit log under the token's id."})
    static final class Apply extends Changing {
        @Override
        int run() {
            Plan plan = plan();
            if (plan == null) return KindlingCli.PROBLEM;
            List<ConfigDiff.Change> changes = plan.changes();
            AdminClient admin = plan.admin();
            for (ConfigDiff.Change change : changes) {
                ConfigDocument d = change.document();
                if (change.action() == ConfigDiff.Action.REMOVE) {
                    admin.delete(d.url());
                    cli.out.println("- " + d.file() + " deleted");
                } else {
                    admin.put(d.url(), d.body());
                    cli.out.println(symbol(change.action()) + " " + d.file() + " saved");
                }
            }
            cli.out.println(changes.isEmpty() ? "nothing to change" : changes.size() + " document(s) changed");
            return 0;
        }
    }

    private static String symbol(ConfigDiff.Action action) {
        return switch (action) {
            case ADD -> "+";
            case CHANGE -> "~";
            case REMOVE -> "-";
        };
    }

    /** {@code settings, scoring, 3 segments, 2 templates}: what a set of documents holds. */
    static String describe(Collection<ConfigDocument> documents) {
        Map<ConfigKind, Long> counts = documents.stream().collect(Collectors.groupingBy(ConfigDocument::kind, TreeMap::new, Collectors.counting()));
        return documents.size() + " documents (" + counts.entrySet().stream()
                .map(e -> e.getKey().single() ? e.getKey().file("") : e.getValue() + " " + e.getKey().folder())
                .collect(Collectors.joining(", ")) + ")";
    }
}
