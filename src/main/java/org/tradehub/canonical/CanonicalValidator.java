package org.tradehub.canonical;

/** TEMPORARY stand-in until the validator branch is merged. */
public class CanonicalValidator {
    public void check(String xml) {
    }
}
