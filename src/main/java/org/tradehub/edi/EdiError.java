package org.tradehub.edi;

/**
 * A structural error found while reading, in a form an acknowledgement generator (CONTRL UCI/UCF/UCM/UCS/UCD,
 * X12 TA1/997 AK3/AK4/AK5/AK9) can use.
 *
 * @param scope            where the error belongs
 * @param messageRef       the control reference of the structure the error is scoped to: UNH 0062 / ST02 for
 *                         MESSAGE, UNG 0048 / GS06 for GROUP, UNB 0020 / ISA13 for INTERCHANGE (null if unknown)
 * @param segmentPosition  segment number: within the message (UNH/ST = 1) for MESSAGE scope, within the
 *                         interchange (UNA/UNB or ISA = 1) otherwise; 0 when unknown
 * @param segmentTag       tag of the segment in error (null when unknown)
 * @param elementPosition  data element position in the segment (1-based); 0 when the segment as a whole is in error
 * @param syntaxErrorCode  UN/EDIFACT syntax error code (code list 0085, e.g. 12 invalid value, 13 missing,
 *                         28 references do not match, 29 control count mismatch) for EDIFACT; for X12 the 997 code of
 *                         the level: AK304 (segment), AK403 (element), AK502 (SE), AK905 (GE) or TA105 (IEA)
 * @param text             a human-readable description
 */
public record EdiError(Scope scope, String messageRef, int segmentPosition, String segmentTag,
                       int elementPosition, String syntaxErrorCode, String text) {

    public enum Scope { INTERCHANGE, GROUP, MESSAGE }
}
