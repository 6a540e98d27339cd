package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.AddOns;

@Command(
        scope = "dmi",
        name = "addon-swap",
        description =
                "Replaces the installed version of an add-on with another (upgrade or back) with no moment without its plug-in: the other version bound first, serving, then the old one removed once its calls end")
@Service
public class AddOnSwap implements Action {
    @Reference
    AddOns addOns;

    @Argument(index = 0, name = "feature", description = "The add-on's feature, e.g. dmi-adapter-csv", required = true)
    String feature;

    @Argument(index = 1, name = "version", description = "The version (see dmi:addon-list)", required = true)
    String version;

    @Option(name = "--dry-run", description = "Show the plan only")
    boolean dryRun;

    @Override
    public Object execute() {
        return AddOnText.run(addOns, new AddOns.Change(AddOns.Action.SWAP, feature, version), dryRun);
    }
}
