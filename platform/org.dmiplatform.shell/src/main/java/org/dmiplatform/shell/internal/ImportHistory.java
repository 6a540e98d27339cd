package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.dmiplatform.api.store.Imports;

@Command(scope = "dmi", name = "imports", description = "A site's records adapters and import history")
@Service
public class ImportHistory implements Action {
    @Reference
    Imports imports;

    @Argument(index = 0, name = "site", required = true)
    String site;

    @Override
    public Object execute() {
        imports.adapters(site).forEach(a -> System.out.println("adapter " + a));
        ShellTable table = new ShellTable();
        for (String column : new String[] {
            "Id",
            "Started",
            "By",
            "File",
            "Status",
            "Read",
            "New",
            "Changed",
            "Unchanged",
            "Quarantined",
            "Skipped",
            "Merged",
            "Delete instructions",
            "Withdrawn",
            "Deleted"
        }) {
            table.column(column);
        }
        for (Imports.Import i : imports.history(site, 20, Shell.caller(site))) {
            table.addRow()
                    .addContent(
                            i.id(),
                            i.startedAt(),
                            i.startedBy(),
                            i.name(),
                            i.status(),
                            i.read(),
                            i.inserted(),
                            i.updated(),
                            i.unchanged(),
                            i.quarantined(),
                            i.skipped(),
                            i.merged(),
                            i.deletes(),
                            i.withdrawn(),
                            i.deleted());
        }
        table.print(System.out);
        return null;
    }
}
