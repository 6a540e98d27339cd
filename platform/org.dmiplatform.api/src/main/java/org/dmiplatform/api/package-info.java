/** Sites, their plug-ins and the errors the platform reports about input. */
@Export
@Version("1.6.0")
package org.dmiplatform.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
