package org.dmiplatform.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.InvalidInputException;

@Command(
        scope = "dmi",
        name = "addon-replace",
        description = "A site changes the add-on serving it for a kind for another installed one (its records adapter,"
                + " say), with no moment without one; the site's files say so after")
@Service
public class AddOnReplace implements Action {
    @Reference
    AddOns addOns;

    @Argument(index = 0, name = "site", description = "The site", required = true)
    String site;

    @Argument(
            index = 1,
            name = "from",
            description = "The add-on serving it now, e.g. dmi-adapter-nibrs",
            required = true)
    String from;

    @Argument(
            index = 2,
            name = "to",
            description = "The installed add-on to serve it, e.g. dmi-adapter-csv",
            required = true)
    String to;

    @Argument(
            index = 3,
            name = "settings",
            description = "The new plug-in's settings, each as key=value (e.g. profile=chicago-clear.json)",
            multiValued = true)
    List<String> settings;

    @Override
    public Object execute() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String setting : settings == null ? List.<String>of() : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                System.out.println("A setting is key=value: " + setting);
                return null;
            }
            values.put(
                    setting.substring(0, eq).strip(), setting.substring(eq + 1).strip());
        }
        try {
            AddOns.Replacement done = addOns.replace(site, from, to, values, Shell.actor());
            System.out.println("Done in " + done.millis() + " ms: " + done.summary());
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        } catch (IllegalStateException e) {
            System.out.println("Not done: " + e.getMessage());
        }
        return null;
    }
}
