/**
 * The platform's records store: the services through which records enter the platform ({@link Imports}, fed by the
 * site's records adapter) and through which everything else reads them ({@link RecordsStore}: mapping, reporting,
 * the console and the REST API). Every read takes the caller, is checked against the caller's site and role and is
 * audited.
 */
@Export
@Version("2.1.0")
package org.dmiplatform.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
