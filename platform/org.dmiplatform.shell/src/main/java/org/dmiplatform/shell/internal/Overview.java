package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.dmiplatform.api.programme.Programme;

@Command(
        scope = "dmi",
        name = "overview",
        description = "Every site's current intervention, step, fidelity and readiness (no person)")
@Service
public class Overview implements Action {
    @Reference
    Programme programme;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Site", "Intervention", "Current step", "Fidelity", "Ready", "Missing"}) {
            table.column(column);
        }
        for (Programme.SiteProgress site : programme.overview()) {
            table.addRow()
                    .addContent(
                            site.site(),
                            site.intervention().map(i -> i.name()).orElse("none"),
                            site.currentStep().orElse("-"),
                            site.overallFidelity() + "%",
                            site.readiness().ready() ? "yes" : "no",
                            String.join("; ", site.readiness().missing()));
        }
        table.print(System.out);
        return null;
    }
}
