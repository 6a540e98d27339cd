package org.dmiplatform.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Whether the platform can serve, and what is bound where. */
@ProviderType
public interface PlatformHealth {

    Report check();

    enum Status {
        UP,
        DOWN
    }

    /**
     * @param status UP when storage answers and the platform may serve
     * @param starting true while start-up work (storage, the first administrator, demo sites) is under way: a
     *     DOWN status may still turn UP
     * @param version the platform version
     * @param problems why the status is DOWN, each with what to do about it
     * @param storage the database product in use and its schema version
     * @param sites every configured site with its bound plug-ins
     * @param node the node that made the report
     * @param nodes the nodes serving together on the database (this one alone on the embedded store)
     */
    record Report(
            Status status,
            boolean starting,
            String version,
            List<String> problems,
            Storage storage,
            List<SiteStatus> sites,
            String node,
            List<String> nodes) {
        public Report {
            nodes = List.copyOf(nodes == null ? List.of() : nodes);
            node = node == null ? "" : node;
        }

        /** A report of one node that does not name it. */
        public Report(
                Status status,
                boolean starting,
                String version,
                List<String> problems,
                Storage storage,
                List<SiteStatus> sites) {
            this(status, starting, version, problems, storage, sites, "", List.of());
        }
    }

    record Storage(String product, int schemaVersion, boolean reachable) {}

    /**
     * @param missing the kinds of plug-in the site has none of, e.g. "no records adapter"
     * @param problems what keeps a bound plug-in from working, each naming the plug-in and what to do, e.g. a records
     *     adapter whose password names an environment variable the platform does not have
     */
    record SiteStatus(
            String id, String name, List<PluginBinding> plugins, List<String> missing, List<String> problems) {
        public SiteStatus {
            problems = List.copyOf(problems == null ? List.of() : problems);
        }

        public SiteStatus(String id, String name, List<PluginBinding> plugins, List<String> missing) {
            this(id, name, plugins, missing, List.of());
        }
    }
}
