package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.Programme;

@Command(scope = "dmi", name = "interventions", description = "Lists a site's market interventions")
@Service
public class Interventions implements Action {
    @Reference
    Programme programme;

    @Argument(index = 0, name = "site", required = true)
    String site;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Started");
        table.column("Current step");
        table.column("Fidelity");
        for (Intervention i : programme.interventions(site)) {
            var checklist = programme.checklist(site, i.id());
            table.addRow()
                    .addContent(
                            i.id(),
                            i.name(),
                            i.startedOn(),
                            checklist.currentStep().orElse("all done"),
                            checklist.overallFidelity() + "%");
        }
        table.print(System.out);
        return null;
    }
}
