package org.dmiplatform.shell.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.InvalidInputException;

@Command(
        scope = "dmi",
        name = "addon-add",
        description = "Gives the platform an add-on file (a Karaf archive, .kar): checked, kept in the data folder,"
                + " its versions offered; installs nothing")
@Service
public class AddOnAdd implements Action {
    @Reference
    AddOns addOns;

    @Argument(index = 0, name = "file", description = "The .kar file", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--sha256", description = "The SHA-256 its sender published, checked against the file")
    String sha256;

    @Override
    public Object execute() throws Exception {
        Path path = Paths.get(file);
        if (!Files.isRegularFile(path)) {
            System.out.println("No file " + path.toAbsolutePath());
            return null;
        }
        try (InputStream in = Files.newInputStream(path)) {
            AddOns.AddOnFile kept =
                    addOns.receive(path.getFileName().toString(), in, Optional.ofNullable(sha256), Shell.actor());
            System.out.println("Kept " + kept.name() + " (SHA-256 " + kept.sha256() + "): it brings "
                    + String.join(", ", kept.features()) + ". Install or swap a version with dmi:addon-install or"
                    + " dmi:addon-swap.");
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        }
        return null;
    }
}
