/**
 * The mapping plug-in kind (Step 1 of the programme: crime mapping): its contract {@link Mapping}, registered once per
 * site, and the requests and answers it takes and gives. A mapping plug-in keeps the site's boundary layers (beats,
 * neighbourhoods, census blocks), counts the site's records by polygon, finds hot spots and suggests target,
 * comparison and displacement areas. It reads records only through {@code org.dmiplatform.api.store.RecordsStore},
 * with the caller's own rights.
 */
@Export
@Version("1.0.0")
package org.dmiplatform.api.mapping;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
