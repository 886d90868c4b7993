package org.tradehub.services;

/** A provider answered 5xx (or 408/429): the error policy retries with back-off, then parks the message. */
public class ProviderUnavailableException extends RuntimeException {
    public ProviderUnavailableException(String message) {
        super(message);
    }
}
