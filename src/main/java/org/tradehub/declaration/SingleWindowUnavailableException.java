package org.tradehub.declaration;

/** The single window answered with a server error or not at all: worth retrying later. */
public class SingleWindowUnavailableException extends RuntimeException {
    public SingleWindowUnavailableException(String message) {
        super(message);
    }
}
