package org.dmiplatform.core.internal.addons;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Karaf's deployment report: what a feature change would install, update, remove and refresh, as Karaf itself works it
 * out. Karaf writes it to its log as it plans (with {@code Simulate} it plans and stops), so the report is read from
 * the log as it is written. Its words are Karaf's, kept as they are in {@link #lines}.
 */
record DeploymentReport(
        List<String> lines, List<String> install, List<String> update, List<String> uninstall, List<String> refresh) {

    /** The logger Karaf's features service writes the report with. */
    static final String KARAF_LOGGER = "org.apache.karaf.features.internal.service.FeaturesServiceImpl";

    private static final String NONE = "No deployment change.";
    private static final String CHANGES = "Changes to perform:";

    /** Something Karaf is asked to do (or to simulate). */
    interface Deployment {
        void run() throws Exception;
    }

    /**
     * Runs a deployment while listening to Karaf's log, and reads the report it wrote. Karaf delivers its log entries
     * to listeners as it writes them, in the thread that writes them, so the report is whole when the deployment
     * returns.
     */
    static DeploymentReport capture(LogReaderService log, Deployment deployment) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LogListener listener = (LogEntry entry) -> {
            // a listener that throws is dropped by the log service: nothing here may throw
            if (KARAF_LOGGER.equals(entry.getLoggerName()) && entry.getMessage() != null) {
                lines.add(entry.getMessage());
            }
        };
        log.addLogListener(listener);
        try {
            deployment.run();
        } finally {
            log.removeLogListener(listener);
        }
        return parse(lines);
    }

    /** Reads Karaf's report from its lines; the lines before it (other messages) are left out. */
    static DeploymentReport parse(List<String> logged) {
        List<String> lines = new ArrayList<>();
        List<String> install = new ArrayList<>();
        List<String> update = new ArrayList<>();
        List<String> uninstall = new ArrayList<>();
        List<String> refresh = new ArrayList<>();
        boolean inReport = false;
        List<String> into = null;
        for (String line : logged) {
            String text = line.strip();
            if (text.equals(NONE) || text.equals(CHANGES)) {
                inReport = true;
            }
            if (!inReport) {
                continue;
            }
            lines.add(line);
            switch (text) {
                case "Bundles to install:" -> into = install;
                case "Bundles to update:" -> into = update;
                case "Bundles to uninstall:" -> into = uninstall;
                case "Bundles to refresh:" -> into = refresh;
                default -> {
                    if (text.endsWith(":") || text.startsWith("Region:") || text.equals(NONE) || text.equals(CHANGES)) {
                        into = null;
                    } else if (into != null && !text.isEmpty()) {
                        into.add(text);
                    }
                }
            }
        }
        return new DeploymentReport(
                List.copyOf(lines),
                List.copyOf(install),
                List.copyOf(update),
                List.copyOf(uninstall),
                List.copyOf(refresh));
    }

    /** True when Karaf wrote a report at all (it writes none when its log level is above INFO). */
    boolean read() {
        return !lines.isEmpty();
    }

    /**
     * Why the platform refuses this deployment: it would refresh or update a bundle that is not one of {@code own}
     * (the add-on's bundles, by symbolic name). Karaf names such a bundle {@code symbolic-name/version}, followed by
     * its reason for a refresh.
     */
    List<String> refusals(Set<String> own) {
        List<String> out = new ArrayList<>();
        for (String bundle : others(update, own)) {
            out.add("it would update " + bundle + ", which is not part of the add-on: an add-on never changes the"
                    + " platform's own bundles or another add-on's");
        }
        for (String bundle : others(refresh, own)) {
            out.add("it would refresh " + bundle + " (stop it, rewire it and start it again), which is not part of"
                    + " the add-on: the platform and the other sites must keep serving");
        }
        return out;
    }

    private static List<String> others(Collection<String> bundles, Set<String> own) {
        List<String> out = new ArrayList<>();
        for (String bundle : bundles) {
            int slash = bundle.indexOf('/');
            String name = slash > 0 ? bundle.substring(0, slash) : bundle;
            if (!own.contains(name)) {
                out.add(bundle);
            }
        }
        return out;
    }
}
