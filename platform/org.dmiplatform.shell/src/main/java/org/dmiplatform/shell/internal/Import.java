package org.dmiplatform.shell.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.store.Imports;

@Command(
        scope = "dmi",
        name = "import",
        description = "Imports a records export through the site's records adapter, showing progress until it ends")
@Service
public class Import implements Action {
    @Reference
    Imports imports;

    @Option(name = "--adapter", description = "The adapter, when the site has several")
    String adapter;

    @Option(name = "--pull", description = "Pull what is new from the records system instead of reading a file")
    boolean pull;

    @Argument(index = 0, name = "site", required = true)
    String site;

    @Argument(index = 1, name = "file", description = "The export file (not with --pull)")
    String file;

    @Override
    public Object execute() throws Exception {
        Imports.Import started;
        try {
            if (pull) {
                started = imports.pull(site, Optional.ofNullable(adapter), Shell.caller(site));
            } else {
                if (file == null) {
                    System.out.println("Give the export file, or --pull.");
                    return null;
                }
                Path path = Paths.get(file).toAbsolutePath();
                if (!Files.isRegularFile(path)) {
                    System.out.println(path + ": no such file");
                    return null;
                }
                started = imports.start(
                        site,
                        Optional.ofNullable(adapter),
                        path,
                        path.getFileName().toString(),
                        false,
                        Shell.caller(site));
            }
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        }
        Imports.Import now = started;
        while (now.status() == Imports.Status.QUEUED || now.status() == Imports.Status.RUNNING) {
            Thread.sleep(500);
            now = imports.find(site, started.id(), Shell.caller(site));
            if (now.status() == Imports.Status.RUNNING) {
                System.out.printf(
                        "\r%s: %d rows read, %d quarantined%s   ",
                        now.name(),
                        now.read(),
                        now.quarantined(),
                        now.fraction()
                                .map(f -> String.format(", %.0f%%", f * 100))
                                .orElse(""));
                System.out.flush();
            }
        }
        System.out.println();
        System.out.printf(
                "Import %d %s: %d read, %d new, %d changed, %d unchanged, %d quarantined, %d skipped, %d merged,"
                        + " %d delete instruction(s) (%d record(s) deleted), %d withdrawn.%n",
                now.id(),
                now.status(),
                now.read(),
                now.inserted(),
                now.updated(),
                now.unchanged(),
                now.quarantined(),
                now.skipped(),
                now.merged(),
                now.deletes(),
                now.deleted(),
                now.withdrawn());
        now.errors().forEach(e -> System.out.println("  " + e));
        now.skips()
                .forEach(s -> System.out.println(
                        "  skipped " + s.rows() + " row(s), first on line " + s.firstLine() + ": " + s.why()));
        if (now.quarantined() > 0) {
            for (Imports.Quarantined q : imports.quarantine(site, now.id(), 20, Shell.caller(site))) {
                System.out.println(
                        "  line " + q.line() + (q.field().isEmpty() ? "" : ", " + q.field()) + ": " + q.reason());
            }
        }
        return null;
    }
}
