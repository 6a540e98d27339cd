package org.dmiplatform.shell.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;

@Command(
        scope = "dmi",
        name = "site-provision-all",
        description = "Creates or changes every site of a folder of site folders (the programme's site kits) at once:"
                + " every folder is checked first, and nothing is changed when anything is wrong")
@Service
public class SiteProvisionAll implements Action {
    @Reference
    SiteProvisioning provisioning;

    @Argument(
            index = 0,
            name = "folder",
            description = "The folder of site folders; by default the platform's site-configs/ (its shipped kits)",
            required = false)
    @Completion(FileCompleter.class)
    String folder = "site-configs";

    @Option(
            name = "--with-demo-sites",
            description = "Also the demo sites (cohort \"" + SiteProvisioning.DEMO_COHORT + "\"), left out by default")
    boolean withDemoSites;

    @Override
    public Object execute() {
        Path path = Paths.get(folder);
        if (!path.isAbsolute()) {
            Path inHome = Paths.get(System.getProperty("karaf.home", ".")).resolve(folder);
            if (inHome.toFile().isDirectory()) {
                path = inHome;
            }
        }
        long started = System.nanoTime();
        try {
            List<SiteDefinition> definitions = provisioning.readAll(path).stream()
                    .filter(d -> withDemoSites
                            || !SiteProvisioning.DEMO_COHORT.equals(d.site().cohort()))
                    .toList();
            List<SiteProvisioning.Provisioned> done = provisioning.provisionAll(definitions, Shell.actor());
            for (SiteProvisioning.Provisioned p : done) {
                System.out.println(String.format(
                        "%-16s %-10s %s%s",
                        p.site().id(),
                        p.outcome().name().toLowerCase(java.util.Locale.ROOT),
                        p.site().name(),
                        p.recordsSystem().isEmpty() ? "" : " (records: " + p.recordsSystem() + ")"));
            }
            System.out.println(done.size() + " site(s) from " + path + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms: "
                    + count(done, SiteProvisioning.Outcome.CREATED) + " created, "
                    + count(done, SiteProvisioning.Outcome.UPDATED) + " updated, "
                    + count(done, SiteProvisioning.Outcome.UNCHANGED) + " unchanged.");
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        }
        return null;
    }

    private static long count(List<SiteProvisioning.Provisioned> done, SiteProvisioning.Outcome outcome) {
        return done.stream().filter(p -> p.outcome() == outcome).count();
    }
}
