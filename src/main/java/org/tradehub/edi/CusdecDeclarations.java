package org.tradehub.edi;

/** Export declarations sent as UN/EDIFACT CUSDEC over AS2 to a single window. */
public class CusdecDeclarations {

    /** The declaration target (queue hub.declarations.cusdec-as2, declaration.target). */
    public static final String TARGET = "cusdec-as2";
}
