package org.dmiplatform.shell.internal;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;

@Command(
        scope = "dmi",
        name = "site-list",
        description = "Lists the sites this platform hosts and what is plugged into each")
@Service
public class SiteList implements Action {
    @Reference
    Sites sites;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Site");
        table.column("Name");
        table.column("Time zone");
        table.column("Features");
        table.column("Plug-ins bound");
        for (Site site : sites.list()) {
            List<PluginBinding> bound = sites.plugins(site.id());
            table.addRow()
                    .addContent(
                            site.id(),
                            site.name(),
                            site.timeZone().getId(),
                            String.join(", ", site.features()),
                            bound.isEmpty()
                                    ? "none"
                                    : bound.stream()
                                            .map(b -> b.kind().id() + ": " + b.name())
                                            .collect(Collectors.joining(", ")));
        }
        table.print(System.out);
        return null;
    }
}
