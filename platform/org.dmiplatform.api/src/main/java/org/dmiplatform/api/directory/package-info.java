/**
 * The service-directory plug-in kind (Steps 7a and 9: the services offered at the call-in and the referrals after):
 * its contract {@link ServiceDirectory}, registered once or more per site, and the services it answers with. A
 * directory maps its own taxonomy to the programme's six categories of service ({@code Market.ServiceCategory}).
 */
@Export
@Version("1.1.0")
package org.dmiplatform.api.directory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
