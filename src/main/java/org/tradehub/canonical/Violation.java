package org.tradehub.canonical;

/** TEMPORARY stand-in until the validator branch is merged. */
public record Violation(String field, String value, String message) {}
