/**
 * The programme: the nine steps as data, market interventions with their checklist, gates and fidelity, the
 * team, the market's records (the dealer list, banked cases, letters, the call-in, community work), and the materials
 * the TTA team shares with the sites.
 */
@Export
@Version("5.2.0")
package org.dmiplatform.api.programme;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
