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
}
