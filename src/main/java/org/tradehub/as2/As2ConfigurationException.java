package org.tradehub.as2;

/** A partner profile names something the hub does not have (a keystore alias, a URL): an operator must fix it. */
public class As2ConfigurationException extends RuntimeException {
    public As2ConfigurationException(String message) {
        super(message);
    }
}
