package org.dmiplatform.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.access.Actor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The add-ons: the features that bring a site's records adapter, service directory, mapping or reporting (named
 * {@code dmi-adapter-*}, {@code dmi-directory-*}, {@code dmi-mapping-*}, {@code dmi-reporting-*}), the versions the
 * platform has of each, which sites list them and whether each is bound there; and installing, replacing (an upgrade,
 * or back to an earlier version) and removing them while the platform serves. What is installed is Karaf's record (its
 * features state, the same {@code feature:list} shows); which site uses what is the sites' own configuration files.
 * Nothing else keeps a copy. New versions arrive as files (Karaf archives, {@code .kar}), never from the internet, and
 * are checked before anything of theirs is used. Every change is planned first (Karaf's own deployment report) and
 * refused when it would refresh, update or remove a bundle that is not the add-on's own. Every change is audited.
 */
@ProviderType
public interface AddOns {

    /** The kind of plug-in a feature brings, by its name; empty for the platform's own features. */
    static Optional<PluginKind> kindOf(String feature) {
        if (feature == null) {
            return Optional.empty();
        }
        if (feature.startsWith("dmi-adapter-")) {
            return Optional.of(PluginKind.RECORDS_ADAPTER);
        }
        if (feature.startsWith("dmi-directory-")) {
            return Optional.of(PluginKind.SERVICE_DIRECTORY);
        }
        if (feature.startsWith("dmi-mapping-")) {
            return Optional.of(PluginKind.MAPPING);
        }
        if (feature.startsWith("dmi-reporting-")) {
            return Optional.of(PluginKind.REPORTING);
        }
        return Optional.empty();
    }

    /** Every add-on the platform has (installed or not), by feature name. */
    List<AddOn> catalogue();

    /** The add-on files the platform has been given, kept in its data folder: the sound ones and the refused. */
    List<AddOnFile> files();

    /**
     * Checks a Karaf archive and, when it is sound, keeps it and offers the versions it brings; installs nothing. A
     * file is sound when every feature in it is an add-on, every bundle those features need is in the file or shipped
     * with the platform (nothing would be downloaded), none of its bundles is the platform's own, it writes no
     * configuration and no file outside its repository, and it matches the SHA-256 given.
     *
     * @param sha256 the digest the sender published, checked when given
     * @throws InvalidInputException naming every problem of the file; nothing is kept
     */
    AddOnFile receive(String fileName, InputStream in, Optional<String> sha256, Actor actor) throws IOException;

    /** What a change would do, changing nothing. */
    Plan plan(Change change);

    /**
     * Makes a change after planning it again.
     *
     * @throws InvalidInputException when the plan refuses it (the reasons are the plan's)
     * @throws IllegalStateException when another add-on change is under way
     */
    Outcome apply(Change change, Actor actor);

    /**
     * A site changes which add-on serves it for a kind (its records adapter for another, say), with no moment without
     * one: {@code to} (installed already) is listed for the site and configured with {@code settings}, bound, made to
     * serve; the calls on {@code from} are waited for; then {@code from}'s configuration is removed and its name taken
     * off the site's features. Nothing is installed or removed from the runtime: a site administrator may ask it for
     * their site.
     *
     * @throws InvalidInputException when the two are not of one kind, the site does not list {@code from}, {@code to}
     *     is not installed, or the settings are refused
     * @throws IllegalStateException when {@code to} does not bind (it is removed again and {@code from} serves on) or
     *     another add-on change is under way
     */
    Replacement replace(String site, String from, String to, Map<String, String> settings, Actor actor);

    /** A site's change of the add-on serving it for a kind, measured as a swap is. */
    record Replacement(String site, String from, String to, String summary, Swap swap, long millis) {}

    /** What can be done to an add-on. */
    enum Action implements Identified {
        /** Installs a version of an add-on no version of which is installed. */
        INSTALL("install"),
        /**
         * Replaces the installed version with another (an upgrade, or back to an earlier one) with no moment without
         * the plug-in: the other version installed beside it and bound for the sites, then serving, then the old one
         * removed once no call runs on it.
         */
        SWAP("swap"),
        /** Removes an add-on no site lists. */
        UNINSTALL("uninstall");

        private final String id;

        Action(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        public static Optional<Action> byId(String id) {
            return Identified.byId(Action.class, id);
        }
    }

    /**
     * @param version the version to install or swap to; for an uninstall, the installed one (empty: whichever is)
     */
    record Change(Action action, String feature, String version) {
        public Change {
            java.util.Objects.requireNonNull(action, "action");
            feature = feature == null ? "" : feature.strip();
            version = version == null ? "" : version.strip();
        }
    }

    /**
     * A change planned.
     *
     * @param allowed false when the platform refuses it; {@code refusals} say why
     * @param sites the sites listing the add-on, whose plug-ins the change touches
     * @param install bundles Karaf would install (their locations)
     * @param update bundles Karaf would update in place
     * @param uninstall bundles Karaf would remove
     * @param refresh bundles Karaf would refresh (stop, rewire, start), with its reason for each
     * @param report Karaf's deployment report, as it wrote it
     */
    record Plan(
            Change change,
            boolean allowed,
            List<String> refusals,
            List<String> sites,
            List<String> install,
            List<String> update,
            List<String> uninstall,
            List<String> refresh,
            List<String> report) {}

    /**
     * A change made.
     *
     * @param summary one sentence saying what changed
     * @param swap how the swap went, for a swap
     * @param millis how long it took
     */
    record Outcome(Plan plan, String summary, Optional<Swap> swap, long millis) {}

    /**
     * How a swap went, measured while it ran.
     *
     * @param from the version replaced
     * @param to the version now serving
     * @param sites the sites whose plug-ins moved to the new version
     * @param bindMillis from installing the new version to its plug-ins being bound for every one of those sites
     * @param drainMillis from the new version serving to the last call on the old one ending
     * @param runningAtSwitch calls running on the old version when the new one took over
     * @param momentsWithout times any of those sites had no plug-in of the kind during the swap (0 is the promise)
     * @param otherBundles bundles that are not the add-on's, each found with the same id and state afterwards
     * @param otherBundlesChanged those that were not (empty is the promise)
     */
    record Swap(
            String from,
            String to,
            List<String> sites,
            long bindMillis,
            long drainMillis,
            int runningAtSwitch,
            int momentsWithout,
            int otherBundles,
            List<String> otherBundlesChanged) {}

    /**
     * One add-on.
     *
     * @param feature its feature name, e.g. {@code dmi-adapter-csv}
     * @param description the feature's description
     * @param versions every version the platform has, highest first
     * @param uses the sites that list it in their {@code features}, each with whether it is bound there
     */
    record AddOn(String feature, PluginKind kind, String description, List<Version> versions, List<Use> uses) {

        public boolean installed() {
            return versions.stream().anyMatch(Version::installed);
        }
    }

    /**
     * One version of an add-on.
     *
     * @param source {@code shipped} with the platform, or the name of the file that brought it
     * @param bundles its bundles; for an installed version each with its state
     */
    record Version(String version, boolean installed, String source, List<String> bundles) {}

    /**
     * A site's use of an add-on, as the health report sees it.
     *
     * @param bound true when a plug-in of the add-on is bound to the site now
     * @param servedBy the bundle (and version) serving the site, when bound
     * @param problem what is wrong and what to do, when not bound
     */
    record Use(String site, String siteName, boolean bound, String servedBy, String problem) {}

    /**
     * A file the platform was given.
     *
     * @param features the add-on versions it brings, as {@code name/version}
     * @param accepted true when it passed every check and its versions are offered
     * @param problems why it was refused
     */
    record AddOnFile(
            String name,
            String sha256,
            long bytes,
            Instant received,
            List<String> features,
            boolean accepted,
            List<String> problems) {}
}
