package org.dmiplatform.api;

/**
 * A plug-in implementation currently bound to a site.
 *
 * @param site the site id
 * @param kind what it plugs in
 * @param name the implementation's name (its {@link PluginKind#NAME_PROPERTY}, else its component name)
 * @param bundle symbolic name and version of the bundle providing it
 */
public record PluginBinding(String site, PluginKind kind, String name, String bundle) {}
