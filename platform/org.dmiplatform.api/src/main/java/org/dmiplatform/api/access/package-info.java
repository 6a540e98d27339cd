/** Users, their roles per site, log-in sessions and the audit log. */
@Export
@Version("1.2.0")
package org.dmiplatform.api.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
