package org.tradehub.tenant;

/** An exporting firm using the hub. Everything it owns is keyed by {@link #id()}. */
public record Tenant(String id, String name) {}
