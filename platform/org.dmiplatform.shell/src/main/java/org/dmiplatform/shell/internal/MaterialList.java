package org.dmiplatform.shell.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.programme.Materials;

@Command(
        scope = "dmi",
        name = "materials",
        description = "The materials the TTA team shares with the sites: each with its latest version (UTC) and how"
                + " many sites adopted it")
@Service
public class MaterialList implements Action {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Reference
    Materials materials;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column :
                new String[] {"Id", "Title", "Kind", "For", "Latest", "Published (UTC)", "Adopted", "On latest", "State"
                }) {
            table.column(column);
        }
        for (Materials.Summary m : materials.materials(national())) {
            table.addRow()
                    .addContent(
                            m.id(),
                            m.title(),
                            m.kind().label(),
                            (m.cohort().isEmpty() ? "every site" : "cohort " + m.cohort())
                                    + (m.lawEnforcementOnly() ? ", law enforcement only" : ""),
                            "v" + m.latest().number(),
                            UTC.format(m.latest().publishedAt()),
                            m.sitesAdopted() + " of " + m.sitesMeant(),
                            m.sitesCurrent(),
                            m.withdrawn()
                                    .map(w -> "withdrawn " + UTC.format(w.withdrawnAt()) + ": " + w.reason())
                                    .orElse("in force"));
        }
        table.print(System.out);
        return null;
    }

    /** The shell reading as national staff, under the shell user's name (a read of no record: not audited). */
    private static Caller national() {
        String name = Shell.actor().name();
        return new Caller(
                new User(
                        -1,
                        name,
                        "Karaf shell",
                        List.of(Grant.national(Role.TTA_STAFF)),
                        true,
                        false,
                        java.time.Instant.EPOCH),
                Shell.actor().from());
    }
}
