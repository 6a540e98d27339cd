package org.dmiplatform.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The sites this instance hosts, as configured now, and the plug-ins bound to each. */
@ProviderType
public interface Sites {

    List<Site> list();

    Optional<Site> find(String id);

    /** Plug-in services bound to the site right now, in kind order. Empty when none is bound. */
    List<PluginBinding> plugins(String siteId);

    /**
     * The plug-in serving the site under a kind's contract right now (the highest ranking), for example the site's
     * {@code org.dmiplatform.api.mapping.Mapping}. Empty when none is bound; look it up at each use, as plug-ins come
     * and go.
     */
    <T> Optional<T> plugin(String siteId, Class<T> contract);

    /**
     * Every plug-in bound to the site under a kind's contract, highest ranking first: for a kind a site may combine
     * (two service directories). Look them up at each use. One plug-in per implementation: while a version of it
     * replaces another, the one serving.
     */
    <T> java.util.List<T> pluginsOf(String siteId, Class<T> contract);
}
