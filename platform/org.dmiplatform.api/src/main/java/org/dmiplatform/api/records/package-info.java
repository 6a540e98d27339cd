/**
 * The records-adapter plug-in kind: its contract {@link RecordsAdapter} and the service properties a records adapter
 * is registered with; the canonical form of the records it reads (incidents, calls for service and field contacts);
 * and the records-profile engine the CSV and JDBC adapters share. The platform's own services for records (importing
 * through an adapter, reading what was imported) live in {@code org.dmiplatform.api.store}.
 */
@Export
@Version("2.2.0")
package org.dmiplatform.api.records;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
