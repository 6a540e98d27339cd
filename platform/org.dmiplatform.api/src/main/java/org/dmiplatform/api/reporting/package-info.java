/**
 * The reporting plug-in kind: did the market close, did crime move, does it stay closed. A reporting plug-in reads
 * records only through {@link org.dmiplatform.api.store.RecordsStore}, as the caller, and an intervention's areas and
 * call-in through the programme's services.
 */
@Version("2.0.0")
@Export
package org.dmiplatform.api.reporting;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
