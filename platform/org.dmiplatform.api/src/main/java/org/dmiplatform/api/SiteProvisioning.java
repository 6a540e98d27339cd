package org.dmiplatform.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.access.Actor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates or changes a site from a definition: installs the features it needs, writes its plug-in
 * configurations and then its own configuration. Either every part is applied or, on a refusal, nothing.
 * Every change is written to the audit log with the actor who made it.
 */
@ProviderType
public interface SiteProvisioning {

    /**
     * Reads a {@code site-configs/<site>/} folder.
     *
     * @throws InvalidInputException naming the file, line, field and reason of every problem found
     */
    SiteDefinition read(Path folder);

    /**
     * Checks site settings given as text (lists comma-separated), for example from a request body, with the
     * plug-in configurations and records profiles that go with them (a template's, say).
     *
     * @param profiles the files of the site's {@code profiles/} folder by name; every profile must load and every
     *     plug-in's {@code profile} must be one of them
     * @param source names the input in error messages
     * @throws InvalidInputException naming every field at fault
     */
    SiteDefinition define(
            Map<String, String> settings,
            List<PluginConfiguration> plugins,
            Map<String, String> profiles,
            String source);

    /**
     * Applies a definition. Creates the site or replaces its settings.
     *
     * @throws InvalidInputException when the definition names an unknown feature or an invalid value
     */
    Site provision(SiteDefinition definition, Actor actor);

    /**
     * Changes the settings of a site that exists (installing any feature it newly names); its plug-in
     * configurations are left as they are.
     *
     * @throws InvalidInputException when the settings name an unknown feature
     */
    Site configure(Site site, Actor actor);

    /**
     * The definition a site runs on now, as a folder would give it: its settings, the plug-in configurations
     * provisioning wrote, and every file of its {@code profiles/}. Writing it out as a folder and provisioning that
     * folder gives the same site.
     */
    SiteDefinition export(String site);

    /**
     * Writes {@link #export} as a zip holding the folder {@code <site>/}: {@code site.cfg}, {@code plugins/*.cfg} and
     * {@code profiles/}, as {@code site-configs/} keeps a site.
     */
    void exportFolder(String site, java.io.OutputStream zip) throws java.io.IOException;

    /**
     * Reads a zipped site folder as {@link #read(Path)} reads one: the zip holds {@code site.cfg} at its top or in one
     * folder (whose name is then the site id).
     *
     * @throws InvalidInputException naming the entry, line, field and reason of every problem, or an entry that is
     *     not part of a site folder
     */
    SiteDefinition readZip(String name, java.io.InputStream zip) throws java.io.IOException;

    /**
     * Adds or replaces one file of a site's {@code profiles/}: a records profile ({@code .json}) or a code table or
     * lookup file ({@code .csv}). The file and every profile of the site that names it are checked first, with the
     * file, line, field and reason of each problem; nothing changes when anything is wrong.
     */
    void saveProfileFile(String site, String name, String text, Actor actor);

    /**
     * Removes a file of a site's {@code profiles/}; refused while a profile or a plug-in configuration names it.
     */
    void removeProfileFile(String site, String name, Actor actor);

    /**
     * Sets settings of a plug-in configuration of a site (its factory PID, e.g. {@code org.dmiplatform.adapter.csv}):
     * the settings given change, the others stay. The plug-in must come with one of the site's features and declare
     * the settings; a {@code profile} it names must be a profile of the site; a value may not read the server's
     * environment or files ({@code $[env:...]}: site IT sets such secrets in the site's folder). Empty properties
     * remove the configuration.
     */
    void configurePlugin(String site, String factoryPid, Map<String, String> properties, Actor actor);

    /**
     * Names of the templates shipped with the distribution (folders under its {@code site-configs/} holding a
     * {@code site.cfg}; never {@code records-systems/}).
     */
    List<String> templates();

    /** Reads a shipped template by name. */
    SiteDefinition template(String name);

    /**
     * The cohort of the demo sites: the templates demo mode provisions, and the ones "all the templates" leaves out.
     */
    String DEMO_COHORT = "Demo cohort";

    /**
     * Reads the shipped templates named, every one of them before answering.
     *
     * @throws InvalidInputException naming every problem of every template (an unknown name as {@code templates[i]})
     */
    List<SiteDefinition> templates(List<String> names);

    /**
     * Reads every site folder of a folder of site folders (a {@code site-configs/}), leaving out its
     * {@code records-systems/}: each sub-folder must be a site folder.
     *
     * @throws InvalidInputException naming every problem of every folder
     */
    List<SiteDefinition> readAll(Path parent);

    /**
     * Provisions several sites at once. Every definition is checked first (the same site twice, features, plug-in
     * configurations), and nothing is changed when anything is wrong; then each site is provisioned as
     * {@link #provision} does it, and audited the same way, except a site that already runs on exactly this definition,
     * which is left as it is.
     *
     * @return what was done for each site, in the order given
     * @throws InvalidInputException naming every problem of every definition
     */
    List<Provisioned> provisionAll(List<SiteDefinition> definitions, Actor actor);

    /** What provisioning did with one site of several. */
    enum Outcome {
        /** The site did not exist and was made. */
        CREATED,
        /** The site existed and was changed to the definition. */
        UPDATED,
        /** The site already ran on this definition: nothing was written. */
        UNCHANGED
    }

    /**
     * One site of {@link #provisionAll}.
     *
     * @param recordsSystem the records system its definition was filled in from, or empty
     */
    record Provisioned(Site site, Outcome outcome, String recordsSystem) {}
}
