package org.tradehub.files;

/** A file that cannot be read at all (not one bad record in it): it goes to .error/ with this reason beside it. */
public class UnreadableFileException extends RuntimeException {
    public UnreadableFileException(String reason) {
        super(reason);
    }
}
