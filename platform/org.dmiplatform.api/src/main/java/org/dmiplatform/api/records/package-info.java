/**
 * Records from a site's records system, in canonical form: incidents, calls for service and field contacts; the
 * {@link RecordsAdapter} plug-in contract that reads them; and the import pipeline every adapter shares.
 */
@Export
@Version("1.0.0")
package org.dmiplatform.api.records;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
