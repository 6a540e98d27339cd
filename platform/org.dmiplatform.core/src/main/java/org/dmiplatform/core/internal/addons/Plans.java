package org.dmiplatform.core.internal.addons;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.AddOns.Action;
import org.dmiplatform.api.AddOns.Change;
import org.dmiplatform.api.AddOns.Plan;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogReaderService;

/**
 * What a change would do, changing nothing: the platform's own refusals (not an add-on, a second version beside an
 * installed one, the removal of an add-on a site lists), then Karaf's deployment report of the same deployment
 * simulated (without {@code NoAutoRefreshBundles}, so Karaf says what it would refresh), refused when it would update
 * or refresh anything that is not the add-on's own.
 */
final class Plans {
    private final FeaturesService features;
    private final Sites sites;
    private final BundleContext context;
    private final LogReaderService log;

    /** @param log Karaf's log as the platform reads it; null when there is none (then nothing can be planned) */
    Plans(FeaturesService features, Sites sites, BundleContext context, LogReaderService log) {
        this.features = features;
        this.sites = sites;
        this.context = context;
        this.log = log;
    }

    /** What the change would do; the files must have been taken in. */
    Plan plan(Change change) {
        String name = change.feature();
        List<String> refusals = new ArrayList<>();
        if (AddOns.kindOf(name).isEmpty()) {
            return refused(
                    change,
                    List.of(),
                    "'" + name + "' is not an add-on: records adapters, directories, mapping and reporting are named"
                            + " dmi-adapter-*, dmi-directory-*, dmi-mapping-*, dmi-reporting-*; the platform's own"
                            + " features change only with the platform");
        }
        List<Feature> all;
        List<Feature> installed = new ArrayList<>();
        try {
            all = VersionSwap.versions(features, name);
            for (Feature f : all) {
                if (features.isInstalled(f)) {
                    installed.add(f);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the features: " + e.getMessage(), e);
        }
        List<String> using = sites.list().stream()
                .filter(s -> s.features().contains(name))
                .map(Site::id)
                .toList();
        if (all.isEmpty()) {
            return refused(change, using, "the platform has no add-on " + name + ": add the file that brings it first");
        }
        String version = change.version();
        List<String> versions = all.stream().map(Feature::getVersion).toList();
        List<String> installedVersions =
                installed.stream().map(Feature::getVersion).toList();
        if (version.isEmpty() && change.action() == Action.INSTALL) {
            version = all.stream()
                    .max(Comparator.comparing((Feature f) -> VersionSwap.osgi(f.getVersion())))
                    .orElseThrow()
                    .getVersion();
        }
        Change planned = new Change(change.action(), name, version);
        String target = version;
        if (change.action() != Action.UNINSTALL || !version.isEmpty()) {
            boolean known = versions.contains(version);
            if (!known && change.action() != Action.UNINSTALL) {
                return refused(
                        planned,
                        using,
                        "the platform has no version '" + version + "' of " + name + " (it has " + versions + ")");
            }
        }
        DeploymentReport.Deployment deployment;
        switch (change.action()) {
            case INSTALL -> {
                if (!installed.isEmpty()) {
                    return refused(
                            planned,
                            using,
                            name + " " + installedVersions + " is installed: swap it for " + version
                                    + " instead (no moment without it), never two versions side by side");
                }
                deployment = () -> features.installFeature(name, target, EnumSet.of(FeaturesService.Option.Simulate));
            }
            case SWAP -> {
                if (version.isEmpty()) {
                    return refused(planned, using, "name the version to swap to (it has " + versions + ")");
                }
                if (installed.isEmpty()) {
                    return refused(
                            planned, using, "no version of " + name + " is installed: install " + version + " instead");
                }
                if (installedVersions.equals(List.of(version))) {
                    return refused(planned, using, name + " " + version + " is the version installed already");
                }
                deployment = () -> features.installFeature(name, target, EnumSet.of(FeaturesService.Option.Simulate));
            }
            case UNINSTALL -> {
                if (installed.isEmpty()) {
                    return refused(planned, using, name + " is not installed");
                }
                if (!version.isEmpty() && !installedVersions.contains(version)) {
                    return refused(
                            planned, using, name + " " + version + " is not installed (" + installedVersions + " is)");
                }
                if (!using.isEmpty()) {
                    return refused(
                            planned,
                            using,
                            "site(s) " + String.join(", ", using) + " list " + name + " in their"
                                    + " features: change each site first (its page, or its folder and dmi:site-provision),"
                                    + " then remove the add-on");
                }
                Set<String> requirements = VersionSwap.requirements(features, name);
                if (requirements.isEmpty()) {
                    return refused(
                            planned,
                            using,
                            name + " was installed as a part of another feature, not on its"
                                    + " own: it goes when that feature goes");
                }
                deployment = () -> features.removeRequirements(
                        Map.of(FeaturesService.ROOT_REGION, requirements), EnumSet.of(FeaturesService.Option.Simulate));
            }
            default -> throw new IllegalArgumentException(change.action().toString());
        }
        LogReaderService reader = log;
        if (reader == null) {
            return refused(
                    planned,
                    using,
                    "the platform cannot read Karaf's deployment report now (no log service):"
                            + " it changes nothing it cannot plan");
        }
        DeploymentReport report;
        try {
            report = DeploymentReport.capture(reader, deployment);
        } catch (Exception e) {
            return refused(planned, using, "Karaf cannot " + change.action().id() + " it: " + e.getMessage());
        }
        if (!report.read()) {
            refusals.add("Karaf wrote no deployment report (is the log level of org.apache.karaf.features above"
                    + " INFO?): the platform changes nothing it cannot plan");
        }
        refusals.addAll(report.refusals(Catalogue.symbolicNames(all, Catalogue.byLocation(context))));
        return new Plan(
                planned,
                refusals.isEmpty(),
                refusals,
                using,
                report.install(),
                report.update(),
                report.uninstall(),
                report.refresh(),
                report.lines());
    }

    private static Plan refused(Change change, List<String> sites, String why) {
        return new Plan(change, false, List.of(why), sites, List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
