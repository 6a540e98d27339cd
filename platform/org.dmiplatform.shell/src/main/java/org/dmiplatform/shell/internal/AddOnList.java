package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.AddOns;

@Command(
        scope = "dmi",
        name = "addon-list",
        description = "Lists the add-ons (records adapters, directories, mapping, reporting): versions, which sites"
                + " list each and whether it is bound there; then the add-on files given to the platform")
@Service
public class AddOnList implements Action {
    @Reference
    AddOns addOns;

    @Override
    public Object execute() {
        for (AddOns.AddOn addOn : addOns.catalogue()) {
            System.out.println(
                    addOn.feature() + " (" + addOn.kind().label() + ")" + (addOn.installed() ? "" : ", not installed"));
            for (AddOns.Version version : addOn.versions()) {
                System.out.println("  " + (version.installed() ? "* " : "  ") + version.version() + "  from "
                        + version.source() + (version.installed() ? "  " + String.join(", ", version.bundles()) : ""));
            }
            for (AddOns.Use use : addOn.uses()) {
                System.out.println("    site " + use.site() + ": "
                        + (use.bound() ? "bound (" + use.servedBy() + ")" : "NOT BOUND")
                        + (use.problem().isEmpty() ? "" : "; " + use.problem()));
            }
        }
        for (AddOns.AddOnFile file : addOns.files()) {
            System.out.println("file " + file.name() + " (" + file.bytes() + " bytes, SHA-256 " + file.sha256() + "): "
                    + (file.accepted() ? "brings " + String.join(", ", file.features()) : "REFUSED"));
            file.problems().forEach(p -> System.out.println("  " + p));
        }
        return null;
    }
}
