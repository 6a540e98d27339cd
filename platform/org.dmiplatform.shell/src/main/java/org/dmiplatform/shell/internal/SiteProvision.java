package org.dmiplatform.shell.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;

@Command(
        scope = "dmi",
        name = "site-provision",
        description = "Creates or changes a site from its site-configs/<site>/ folder")
@Service
public class SiteProvision implements Action {
    @Reference
    SiteProvisioning provisioning;

    @Argument(
            index = 0,
            name = "folder",
            description =
                    "The site's folder, e.g. site-configs/chicago (relative paths are tried against the platform's home first)",
            required = true)
    @Completion(FileCompleter.class)
    String folder;

    @Override
    public Object execute() {
        Path path = Paths.get(folder);
        if (!path.isAbsolute()) {
            Path inHome = Paths.get(System.getProperty("karaf.home", ".")).resolve(folder);
            if (inHome.toFile().isDirectory()) {
                path = inHome;
            }
        }
        try {
            SiteDefinition definition = provisioning.read(path);
            Site site = provisioning.provision(definition, Shell.actor());
            System.out.println("Site " + site.id() + " (" + site.name() + ") provisioned from " + path + " with "
                    + definition.plugins().size() + " plug-in configuration(s).");
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        }
        return null;
    }
}
